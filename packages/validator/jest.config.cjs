module.exports = { ...require('../../jest.preset.cjs'), displayName: 'validator', rootDir: __dirname };

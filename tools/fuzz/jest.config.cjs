module.exports = { ...require('../../jest.preset.cjs'), displayName: 'fuzz', rootDir: __dirname };

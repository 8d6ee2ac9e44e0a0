module.exports = { ...require('../../jest.preset.cjs'), displayName: 'parser', rootDir: __dirname };

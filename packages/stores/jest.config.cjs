module.exports = { ...require('../../jest.preset.cjs'), displayName: 'stores', rootDir: __dirname };

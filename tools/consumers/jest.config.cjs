module.exports = { ...require('../../jest.preset.cjs'), displayName: 'consumers', rootDir: __dirname };

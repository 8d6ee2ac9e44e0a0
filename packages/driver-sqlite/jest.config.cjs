module.exports = { ...require('../../jest.preset.cjs'), displayName: 'driver-sqlite', rootDir: __dirname };

module.exports = { ...require('../../jest.preset.cjs'), displayName: 'driver-mysql', rootDir: __dirname };

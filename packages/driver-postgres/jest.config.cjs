module.exports = { ...require('../../jest.preset.cjs'), displayName: 'driver-postgres', rootDir: __dirname };

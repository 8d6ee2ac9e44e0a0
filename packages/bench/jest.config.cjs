// forceExit: a database test that times out must not keep the run (and CI) alive on open connections.
module.exports = { ...require('../../jest.preset.cjs'), displayName: 'bench', rootDir: __dirname, forceExit: true };

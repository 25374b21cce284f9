// A stand-alone Ethereum node for the tests of Hydro against JSON-RPC: `hardhat node` with this
// file serves Hardhat's network on loopback, with its well-known funded accounts.
module.exports = {
  networks: { hardhat: { hardfork: 'cancun', chainId: 31337, mining: { auto: true } } },
};

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @notice Client-side Raindrop's HydroID registry: each HydroID names the address whose
/// signatures prove its owner. An owner registers directly, or signs the registration so a
/// relayer without the key can submit it.
contract HydroIdRegistry {
    mapping(bytes32 => address) private owners;
    mapping(address => string) public hydroIdOf;

    event HydroIdRegistered(string hydroId, address indexed owner);

    function addressOf(string calldata hydroId) external view returns (address) {
        return owners[keccak256(bytes(hydroId))];
    }

    function register(string calldata hydroId) external {
        _register(hydroId, msg.sender);
    }

    /// @param signature the owner's EIP-191 personal signature of `registrationHash(hydroId, owner)`
    function registerFor(string calldata hydroId, address owner, bytes calldata signature) external {
        require(signature.length == 65, "bad signature length");
        bytes32 digest = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", registrationHash(hydroId, owner)));
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) v += 27;
        address signer = ecrecover(digest, v, r, s);
        require(signer != address(0) && signer == owner, "signature is not the owner's");
        _register(hydroId, owner);
    }

    /// @notice What an owner signs to register: bound to this registry, the HydroID and the owner.
    function registrationHash(string calldata hydroId, address owner) public view returns (bytes32) {
        return keccak256(abi.encodePacked(address(this), hydroId, owner));
    }

    function _register(string calldata hydroId, address owner) private {
        uint256 length = bytes(hydroId).length;
        require(length >= 3 && length <= 32, "HydroID must have 3 to 32 characters");
        bytes32 key = keccak256(bytes(hydroId));
        require(owners[key] == address(0), "HydroID taken");
        require(bytes(hydroIdOf[owner]).length == 0, "address already has a HydroID");
        owners[key] = owner;
        hydroIdOf[owner] = hydroId;
        emit HydroIdRegistered(hydroId, owner);
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @notice Server-side Raindrop: the operator whitelists users and issues challenges per
/// partner; the HYDRO token records each user's answer. Judging an answer is left to readers,
/// who compare the recorded challenge and authentication.
contract Raindrop {
    struct Entry {
        uint256 value;
        uint256 challenge;
        uint64 timestamp;
        uint64 blockNumber;
    }

    address public immutable owner;
    address public immutable hydroToken;

    mapping(uint256 => mapping(address => bool)) public whitelisted;
    mapping(uint256 => mapping(address => Entry)) public challenges;
    mapping(uint256 => mapping(address => Entry)) public authentications;

    event AddressWhitelisted(uint256 indexed partnerId, address indexed user);
    event AddressUnwhitelisted(uint256 indexed partnerId, address indexed user);
    event ChallengeIssued(uint256 indexed partnerId, address indexed user, uint256 value, uint256 challenge);
    event Authenticated(uint256 indexed partnerId, address indexed user, uint256 value, uint256 challenge);

    modifier onlyOwner() {
        require(msg.sender == owner, "only owner");
        _;
    }

    constructor(address token) {
        owner = msg.sender;
        hydroToken = token;
    }

    function whitelistAddress(uint256 partnerId, address user) external onlyOwner {
        whitelisted[partnerId][user] = true;
        emit AddressWhitelisted(partnerId, user);
    }

    function unwhitelistAddress(uint256 partnerId, address user) external onlyOwner {
        whitelisted[partnerId][user] = false;
        delete challenges[partnerId][user];
        emit AddressUnwhitelisted(partnerId, user);
    }

    function issueChallenge(uint256 partnerId, address user, uint256 value, uint256 challenge) external onlyOwner {
        require(whitelisted[partnerId][user], "not whitelisted");
        challenges[partnerId][user] = Entry(value, challenge, uint64(block.timestamp), uint64(block.number));
        emit ChallengeIssued(partnerId, user, value, challenge);
    }

    /// @dev Only the token calls this, after taking `value` from `user`.
    function recordAuthentication(address user, uint256 value, uint256 challenge, uint256 partnerId) external {
        require(msg.sender == hydroToken, "only the HYDRO token");
        require(whitelisted[partnerId][user], "not whitelisted");
        authentications[partnerId][user] = Entry(value, challenge, uint64(block.timestamp), uint64(block.number));
        emit Authenticated(partnerId, user, value, challenge);
    }
}

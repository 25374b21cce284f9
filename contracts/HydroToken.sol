// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./Raindrop.sol";

/// @notice The HYDRO token: a plain ERC-20 with 18 decimals whose `authenticate` lets a user
/// perform a server-side Raindrop challenge by paying the challenged amount to the operator.
contract HydroToken {
    string public constant name = "Hydro";
    string public constant symbol = "HYDRO";
    uint8 public constant decimals = 18;

    uint256 public totalSupply;
    address public immutable owner;
    Raindrop public raindrop;

    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(uint256 supply) {
        owner = msg.sender;
        totalSupply = supply;
        balanceOf[msg.sender] = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    /// @dev Set once, after the Raindrop contract is deployed with this token's address.
    function setRaindrop(Raindrop target) external {
        require(msg.sender == owner, "only owner");
        require(address(raindrop) == address(0), "already set");
        raindrop = target;
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        require(allowed >= value, "allowance exceeded");
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - value;
        _transfer(from, to, value);
        return true;
    }

    /// @notice Performs the current Raindrop challenge of `partnerId` for the sender.
    function authenticate(uint256 value, uint256 challenge, uint256 partnerId) external {
        _transfer(msg.sender, owner, value);
        raindrop.recordAuthentication(msg.sender, value, challenge, partnerId);
    }

    function _transfer(address from, address to, uint256 value) private {
        require(to != address(0), "transfer to the zero address");
        require(balanceOf[from] >= value, "balance too low");
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}

package rpc

// ErrorChain lets the fault-injection suite (package rpc_test) walk an
// error the way the redaction tests do.
var ErrorChain = chain

// Package bench compares this SDK with a hand-written floor ("raw") and
// the two official Alibaba Cloud Go SDKs ("v1": alibaba-cloud-sdk-go,
// "v2": darabonba-openapi/v2) on ListResourceShareInvitations against one
// loopback server. It is a separate module so that the SDK's users never
// download the official SDKs. The benchmarks live in bench_test.go; run.sh
// runs them and cmd/benchtable prints the ratio table.
package bench

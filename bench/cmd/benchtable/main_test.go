package main

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `goos: linux
cpu: Some CPU
BenchmarkList/N=1/raw-2   	    2788	     100 ns/op	         0 newconns/op	   1000 B/op	     100 allocs/op
BenchmarkList/N=1/sdk-2   	    2797	     110 ns/op	         0 newconns/op	   1500 B/op	     130 allocs/op
BenchmarkList/N=1/raw-2   	    2788	     300 ns/op	         0 newconns/op	   1000 B/op	     100 allocs/op
BenchmarkList/N=1/sdk-2   	    2797	     90 ns/op	         0 newconns/op	   1500 B/op	     130 allocs/op
BenchmarkList/N=1/raw-2   	    2788	     100 ns/op	         0 newconns/op	   1000 B/op	     100 allocs/op
BenchmarkList/N=1/sdk-2   	    2797	     100 ns/op	         0 newconns/op	   1500 B/op	     130 allocs/op
BenchmarkSignV1-2 	 1000	 2000 ns/op	 500 B/op	 10 allocs/op
`

func TestTable(t *testing.T) {
	res := &result{byName: map[string]samples{}}
	if err := parse(strings.NewReader(sample), res); err != nil {
		t.Fatal(err)
	}
	if got := res.med("List/N=1/raw", "ns/op"); got != 100 {
		t.Fatalf("median raw = %v, want 100", got)
	}
	var b bytes.Buffer
	res.table(&b)
	out := b.String()
	for _, want := range []string{"| List/N=1 | sdk | 100 ns |", "| 1.00× |", "| 1.30× |", "| SignV1 | 2.0 µs |"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	res.targets(&b)
	if !strings.Contains(b.String(), "| List/N=1: sdk allocs / raw | 1.3× | – | ≤ 1.2× | **missed** | – |") {
		t.Errorf("targets:\n%s", b.String())
	}
}

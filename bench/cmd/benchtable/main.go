// Command benchtable reads `go test -bench` output (several runs of the
// same benchmarks, in any order) and prints a markdown table of medians
// with each client's ratio to "raw" in the same benchmark, then checks the
// project's targets for the SDK.
//
// Benchmark names are Family/.../client: the last element is the client,
// everything before it the row group. Lines from other benchmarks (no
// client element) are listed at the end without ratios.
//
//	go run ./cmd/benchtable [-targets=false] results.txt...
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// samples are the values of one benchmark, by unit ("ns/op", "B/op"...).
type samples map[string][]float64

type result struct {
	order   []string // benchmark names in first-seen order
	byName  map[string]samples
	context []string // goos, goarch, pkg, cpu lines
}

// cpuUnit is the benchmarks' process CPU time per op.
const cpuUnit = "cpu-ns/op"

var (
	benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.*)$`)
	clientOrd = []string{"raw", "sdk", "sdk-loop", "v1", "v2"}
)

func parse(r io.Reader, res *result) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		for _, p := range []string{"goos:", "goarch:", "cpu:", "pkg:"} {
			if strings.HasPrefix(line, p) && !slices.Contains(res.context, line) {
				res.context = append(res.context, line)
			}
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name := strings.TrimPrefix(m[1], "Benchmark")
		f := strings.Fields(m[3])
		s, ok := res.byName[name]
		if !ok {
			s = samples{}
			res.byName[name] = s
			res.order = append(res.order, name)
		}
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			s[f[i+1]] = append(s[f[i+1]], v)
		}
	}
	return sc.Err()
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	c := slices.Clone(v)
	slices.Sort(c)
	n := len(c)
	if n%2 == 1 {
		return c[n/2]
	}
	return (c[n/2-1] + c[n/2]) / 2
}

// spread is half the interquartile range relative to the median, in
// percent: how far a typical run strays, without letting one run that
// shared the machine with a neighbour's build decide it.
func spread(v []float64) float64 {
	if len(v) < 2 {
		return 0
	}
	m := median(v)
	if m == 0 {
		return 0
	}
	c := slices.Clone(v)
	slices.Sort(c)
	n := len(c)
	q1, q3 := c[n/4], c[(3*n-1)/4]
	return (q3 - q1) / 2 / m * 100
}

func split(name string) (group, client string) {
	i := strings.LastIndex(name, "/")
	if i < 0 {
		return name, ""
	}
	return name[:i], name[i+1:]
}

func (r *result) med(name, unit string) float64 {
	s, ok := r.byName[name]
	if !ok {
		return math.NaN()
	}
	return median(s[unit])
}

func fmtTime(ns float64) string {
	switch {
	case math.IsNaN(ns):
		return "–"
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func fmtNum(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.1fk", v/1e3)
	case v == math.Trunc(v), math.Abs(v) >= 100:
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

func ratio(v, base float64) string {
	if math.IsNaN(v) || math.IsNaN(base) || base == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", v/base)
}

func clientRank(c string) int {
	if i := slices.Index(clientOrd, c); i >= 0 {
		return i
	}
	return len(clientOrd)
}

func (r *result) table(w io.Writer) {
	var groups []string
	members := map[string][]string{}
	var loose []string
	for _, n := range r.order {
		g, c := split(n)
		if c == "" {
			loose = append(loose, n)
			continue
		}
		if _, ok := members[g]; !ok {
			groups = append(groups, g)
		}
		members[g] = append(members[g], c)
	}
	fmt.Fprintln(w, "| benchmark | client | time/op | ±% | ×raw | cpu/op | ×raw | B/op | ×raw | allocs/op | ×raw | other (median) | runs |")
	fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|")
	for _, g := range groups {
		cs := members[g]
		slices.SortStableFunc(cs, func(a, b string) int { return clientRank(a) - clientRank(b) })
		base := g + "/raw"
		for _, c := range cs {
			n := g + "/" + c
			s := r.byName[n]
			t, cpu, bo, al := r.med(n, "ns/op"), r.med(n, cpuUnit), r.med(n, "B/op"), r.med(n, "allocs/op")
			var extra []string
			var units []string
			for u := range s {
				if u != "ns/op" && u != "B/op" && u != "allocs/op" && u != cpuUnit {
					units = append(units, u)
				}
			}
			slices.Sort(units)
			for _, u := range units {
				extra = append(extra, fmtNum(median(s[u]))+" "+u)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n",
				g, c, fmtTime(t), spread(s["ns/op"]), ratio(t, r.med(base, "ns/op")),
				fmtTime(cpu), ratio(cpu, r.med(base, cpuUnit)),
				fmtNum(bo), ratio(bo, r.med(base, "B/op")), fmtNum(al), ratio(al, r.med(base, "allocs/op")),
				strings.Join(extra, ", "), len(s["ns/op"]))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "time/op, cpu/op (process CPU time per op), B/op and allocs/op are medians over the runs; ±% is half the interquartile range of time/op relative to its median; ×raw divides medians within the same benchmark.")
	if len(loose) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| other benchmark | time/op | ±% | B/op | allocs/op | runs |")
		fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|")
		for _, n := range loose {
			s := r.byName[n]
			fmt.Fprintf(w, "| %s | %s | %.0f | %s | %s | %d |\n", n, fmtTime(r.med(n, "ns/op")), spread(s["ns/op"]),
				fmtNum(r.med(n, "B/op")), fmtNum(r.med(n, "allocs/op")), len(s["ns/op"]))
		}
	}
}

// target is one of the project's goals for the SDK. Time targets are
// judged on wall time (got) and, as a cross-check that other load on the
// machine disturbs less, on process CPU time (cpu).
type target struct {
	what   string
	got    float64
	cpu    float64 // NaN when not a time target
	limit  float64
	atMost bool // got must be ≤ limit (else ≥)
	unit   string
	info   bool // context for another row, not a target
}

func (t target) verdict(v float64) string {
	switch {
	case t.info:
		return "(context)"
	case math.IsNaN(v):
		return "–"
	case t.atMost && v <= t.limit, !t.atMost && v >= t.limit:
		return "met"
	}
	return "**missed**"
}

func (r *result) targets(w io.Writer) {
	m := r.med
	div := func(a, b float64) float64 { return a / b }
	const items, pageSize = 10000, 100
	pages := float64(items / pageSize)
	pg := fmt.Sprintf("Paginate/items=%d/", items)
	nan := math.NaN()
	// tr is a time ratio target: a/b on wall time and on CPU time.
	tr := func(what, a, b string, scaleB, limit float64, atMost bool) target {
		return target{what, m(a, "ns/op") / (scaleB * m(b, "ns/op")), m(a, cpuUnit) / (scaleB * m(b, cpuUnit)), limit, atMost, "×", false}
	}
	info := func(t target) target { t.info = true; return t }
	ts := []target{
		tr("List/N=1: sdk time / raw", "List/N=1/sdk", "List/N=1/raw", 1, 1.10, true),
		{"List/N=1: sdk allocs / raw", div(m("List/N=1/sdk", "allocs/op"), m("List/N=1/raw", "allocs/op")), nan, 1.2, true, "×", false},
		tr("List/N=1: v1 time / sdk (sdk faster by)", "List/N=1/v1", "List/N=1/sdk", 1, 1.7, false),
		tr("List/N=1: v2 time / sdk (sdk faster by)", "List/N=1/v2", "List/N=1/sdk", 1, 2.3, false),
		info(tr("List/N=1: v1 time / raw (the most the v1 row can reach: an SDK as cheap as raw)", "List/N=1/v1", "List/N=1/raw", 1, 1.7, false)),
		info(tr("List/N=1: v2 time / raw (the most the v2 row can reach)", "List/N=1/v2", "List/N=1/raw", 1, 2.3, false)),
		tr("Local/N=1 (no network): sdk time / raw", "Local/N=1/sdk", "Local/N=1/raw", 1, 1.10, true),
		{"Local/N=1 (no network): sdk allocs / raw", div(m("Local/N=1/sdk", "allocs/op"), m("Local/N=1/raw", "allocs/op")), nan, 1.2, true, "×", false},
		tr("Local/N=1 (no network): v1 time / sdk", "Local/N=1/v1", "Local/N=1/sdk", 1, 1.7, false),
		tr("Local/N=1 (no network): v2 time / sdk", "Local/N=1/v2", "Local/N=1/sdk", 1, 2.3, false),
		tr("Local/N=100 (no network): sdk time / raw", "Local/N=100/sdk", "Local/N=100/raw", 1, 0.6, true),
		tr("List/N=100: sdk time / raw", "List/N=100/sdk", "List/N=100/raw", 1, 0.6, true),
		tr("Decode/N=100: sdk time / raw", "Decode/N=100/sdk", "Decode/N=100/raw", 1, 0.6, true),
		{"ListParallel/N=20: sdk new connections per op", m("ListParallel/N=20/sdk", "newconns/op"), nan, 0.01, true, "", false},
		tr("Sign: sdk time / raw", "Sign/sdk", "Sign/raw", 1, 1.2, true),
		{"Sign: sdk allocs / fewest of v1, v2 (must be < 1)", div(m("Sign/sdk", "allocs/op"), math.Min(m("Sign/v1", "allocs/op"), m("Sign/v2", "allocs/op"))), nan, 0.999, true, "×", false},
		tr("Paginate: sdk (All) time / sdk-loop (the same page calls, made directly)", pg+"sdk", pg+"sdk-loop", 1, 1.1, true),
		info(tr("Paginate: sdk (All) time / 100 × List/N=100/sdk (other pages, measured at another moment)", pg+"sdk", "List/N=100/sdk", pages, 1.1, true)),
		{"Paginate: sdk B per page at 10,000 items / at 1,000 items (flat = 1)",
			div(m(pg+"sdk", "B/op")/pages, m("Paginate/items=1000/sdk", "B/op")/10), nan, 1.05, true, "×", false},
	}
	fmt.Fprintln(w, "| target | wall | cpu | limit | verdict (wall) | verdict (cpu) |")
	fmt.Fprintln(w, "|---|--:|--:|--:|---|---|")
	num := func(v float64, unit string) string {
		if math.IsNaN(v) {
			return "–"
		}
		return fmt.Sprintf("%.3g%s", v, unit)
	}
	for _, t := range ts {
		op := "≤"
		if !t.atMost {
			op = "≥"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s %.3g%s | %s | %s |\n", t.what, num(t.got, t.unit), num(t.cpu, t.unit), op, t.limit, t.unit, t.verdict(t.got), t.verdict(t.cpu))
	}
	if g := m(pg+"sdk", "heapgrowth-B"); !math.IsNaN(g) {
		fmt.Fprintf(w, "\nLive heap growth over the 10,000-item walk (after GC, page 1 → page %d): sdk %s B, sdk-loop %s B, raw %s B, v1 %s B, v2 %s B.\n",
			int(pages), fmtNum(g), fmtNum(m(pg+"sdk-loop", "heapgrowth-B")), fmtNum(m(pg+"raw", "heapgrowth-B")),
			fmtNum(m(pg+"v1", "heapgrowth-B")), fmtNum(m(pg+"v2", "heapgrowth-B")))
	}
}

func main() {
	withTargets := flag.Bool("targets", true, "check the SDK's targets after the table")
	flag.Parse()
	res := &result{byName: map[string]samples{}}
	if flag.NArg() == 0 {
		if err := parse(os.Stdin, res); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	for _, f := range flag.Args() {
		fh, err := os.Open(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		err = parse(fh, res)
		fh.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if len(res.order) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark lines found")
		os.Exit(1)
	}
	for _, c := range res.context {
		fmt.Println("    " + c)
	}
	fmt.Println()
	res.table(os.Stdout)
	if *withTargets {
		fmt.Println()
		res.targets(os.Stdout)
	}
}

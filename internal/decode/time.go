package decode

import (
	"sync/atomic"
	"time"
)

// parseTime recognises the timestamp layouts the services are known to use:
//
//	2006-01-02T15:04:05.999999999Z07:00  (RFC 3339, fraction and zone optional)
//	2006-01-02 15:04:05                  (space instead of T)
//	2006-01-02                           (date only)
//
// Timestamps without a zone are UTC, which is what the services mean by
// them. It is written by hand rather than as a series of time.Parse attempts
// because every failed time.Parse allocates an error, and because all these
// layouts share a prefix that only needs to be read once.
func parseTime(b []byte) (time.Time, bool) {
	if len(b) < 10 || b[4] != '-' || b[7] != '-' {
		return time.Time{}, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return time.Time{}, false
	}
	if len(b) == 10 {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
	}
	if len(b) < 19 || (b[10] != 'T' && b[10] != 't' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	hour, ok1 := digits(b[11:13])
	minute, ok2 := digits(b[14:16])
	sec, ok3 := digits(b[17:19])
	if !ok1 || !ok2 || !ok3 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	i := 19
	nsec := 0
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		scale := 100000000
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			// Digits beyond nanoseconds are dropped, as time.Parse does.
			nsec += int(b[i]-'0') * scale
			scale /= 10
		}
		if i == start {
			return time.Time{}, false
		}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	zone := b[i:]
	switch {
	case len(zone) == 0:
		return t, true
	case len(zone) == 1 && (zone[0] == 'Z' || zone[0] == 'z'):
		return t, true
	case zone[0] != '+' && zone[0] != '-':
		return time.Time{}, false
	}
	// Accept +hh:mm, +hhmm and +hh.
	var zh, zm int
	var ok bool
	switch len(zone) {
	case 6:
		if zone[3] != ':' {
			return time.Time{}, false
		}
		zh, ok1 = digits(zone[1:3])
		zm, ok2 = digits(zone[4:6])
		ok = ok1 && ok2
	case 5:
		zh, ok1 = digits(zone[1:3])
		zm, ok2 = digits(zone[3:5])
		ok = ok1 && ok2
	case 3:
		zh, ok = digits(zone[1:3])
	}
	if !ok || zh > 23 || zm > 59 {
		return time.Time{}, false
	}
	offset := zh*3600 + zm*60
	if zone[0] == '-' {
		offset = -offset
	}
	if offset == 0 {
		return t, true
	}
	return t.Add(-time.Duration(offset) * time.Second).In(fixedZone(offset)), true
}

// digits parses a short run of ASCII digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// zones caches one *time.Location per quarter-hour offset between -24h and
// +24h. time.FixedZone allocates, and a response typically repeats the same
// offset (+08:00) in every timestamp, so without the cache each of them
// would cost an allocation.
var zones [2*24*4 + 1]atomic.Pointer[time.Location]

// fixedZone returns a location for a UTC offset in seconds. Such locations
// are unnamed, like the ones time.Parse creates for numeric offsets.
func fixedZone(offset int) *time.Location {
	if offset%900 != 0 || offset < -24*3600 || offset > 24*3600 {
		return time.FixedZone("", offset)
	}
	slot := &zones[offset/900+24*4]
	if loc := slot.Load(); loc != nil {
		return loc
	}
	loc := time.FixedZone("", offset)
	slot.Store(loc)
	return loc
}

package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The state of a recording Service is the journal of everything that
// changed it: the start (which management account, which key, which seed
// for generated identifiers, at what time), then each authenticated call,
// each clock advance and each test control, with the wall-clock time it
// happened and its outcome. Replaying the journal into a fresh state
// rebuilds the same resources, identifiers, keys, timestamps and clock,
// because the emulator is deterministic given those inputs; the recorded
// outcomes check that it still is.
//
// The journal is JSON Lines: the header object on the first line, then one
// event object per line. A state file holds exactly the text that
// GET /_emulator/state returns and PUT /_emulator/state accepts.

// StateFormat names the state format in the header's "format" member.
const StateFormat = "alicloud-emulator-state"

// StateVersion is the version of the state format this emulator writes and
// reads. A file of another version is refused, never rewritten.
const StateVersion = 1

// StateContentType is the media type of a state document.
const StateContentType = "application/x-ndjson"

// MaxStateSize bounds a state document loaded through the admin API.
const MaxStateSize = 256 << 20

// stateHeader is the first line of a state document.
type stateHeader struct {
	Format              string    `json:"format"`
	Version             int       `json:"version"`
	Started             time.Time `json:"started"`
	ManagementAccountID string    `json:"managementAccountId"`
	AccessKeyID         string    `json:"accessKeyId,omitempty"`
	AccessKeySecret     string    `json:"accessKeySecret,omitempty"`
	// Seed drives generated identifiers: two unsigned 64-bit numbers, as
	// decimal strings so that every JSON reader keeps them exact.
	Seed [2]string `json:"seed"`
}

// Event kinds.
const (
	eventCall    = "call"
	eventAdvance = "advance"
	eventControl = "control"
)

// stateEvent is one line after the header.
type stateEvent struct {
	// At is the wall clock when the event happened.
	At   time.Time `json:"at"`
	Kind string    `json:"kind"`

	// A call: the API version and action, the calling account, the
	// request's parameters without the signature and credential ones, and
	// whether an injected fault answered it.
	Version string              `json:"version,omitempty"`
	Action  string              `json:"action,omitempty"`
	Caller  string              `json:"caller,omitempty"`
	Params  map[string][]string `json:"params,omitempty"`
	Faulted bool                `json:"faulted,omitempty"`

	// An advance: how far the clock moved, as a Go duration.
	By string `json:"by,omitempty"`

	// A control: its name and arguments.
	Control string          `json:"control,omitempty"`
	Args    json.RawMessage `json:"args,omitempty"`

	// Result is the error code the event ended with; empty for success.
	Result string `json:"result,omitempty"`
}

// unrecorded reports the request parameters a journal leaves out: they
// authenticate one request and mean nothing on replay.
func unrecorded(name string) bool {
	switch name {
	case "Signature", "SignatureNonce", "SignatureMethod", "SignatureVersion", "SignatureType",
		"AccessKeyId", "SecurityToken", "Timestamp":
		return true
	}
	return false
}

// journal keeps a recording Service's events, and the file they go to.
type journal struct {
	lines [][]byte // the header, then the events, each without its newline
	path  string   // "" without a state file
	file  *os.File // opened for appending
	// written counts the lines written to the file; synced, guarded by
	// syncMu, how many of them are known to be on disk. Durable events are
	// synced after the state lock is released, so that one call's fsync
	// never holds up the others; a sync covers every line written before
	// it (group commit).
	written atomic.Int64
	syncMu  sync.Mutex
	synced  int64
	// broken is set when the file could not be written: from then on the
	// emulator refuses every call rather than acknowledge one that is not
	// on disk.
	broken atomic.Pointer[error]
}

// commit is what a durable event waits for: its line in the file on disk.
type commit struct {
	file *os.File
	line int64
}

// header builds the header of a state that starts now from cfg.
func header(cfg Config, started time.Time) stateHeader {
	return stateHeader{
		Format: StateFormat, Version: StateVersion, Started: started.UTC(),
		ManagementAccountID: cfg.ManagementAccountID,
		AccessKeyID:         cfg.AccessKeyID, AccessKeySecret: cfg.AccessKeySecret,
		Seed: [2]string{strconv.FormatUint(cfg.seed[0], 10), strconv.FormatUint(cfg.seed[1], 10)},
	}
}

// Record makes the Service keep the journal of its state in memory, so that
// the admin API can dump and load it. It must be called before the first
// request. A Service built by NewService does not record: Go tests do not
// need the memory it takes.
func (s *Service) Record() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.jr == nil {
		s.jr = &journal{}
		s.jr.reset(s.cfg, s.started)
	}
}

func (j *journal) reset(cfg Config, started time.Time) {
	line, _ := json.Marshal(header(cfg, started)) // strings and a time only
	j.lines = [][]byte{line}
}

// wall is the clock the state sees: the real one, or during a replay the
// time of the event being replayed.
func (s *Service) wall() time.Time {
	if s.replaying {
		return s.replayAt
	}
	return s.cfg.Wall()
}

// record appends an event to the journal and writes it to the state file.
// It runs with the state lock held; for a durable event (a write), the
// caller then waits for the commit with sync, after releasing the lock and
// before answering.
func (s *Service) record(e stateEvent, durable bool) (commit, error) {
	j := s.jr
	if j == nil || s.replaying {
		return commit{}, nil
	}
	e.At = e.At.UTC()
	line, err := json.Marshal(e)
	if err != nil {
		return commit{}, j.fail(fmt.Errorf("encode a state event: %w", err))
	}
	j.lines = append(j.lines, line)
	if j.file == nil {
		return commit{}, nil
	}
	// One write per line: a line is either whole in the file or, cut by a
	// crash, the unfinished last line that loading drops.
	if _, err := j.file.Write(append(line, '\n')); err != nil {
		return commit{}, j.fail(err)
	}
	n := j.written.Add(1)
	if !durable {
		return commit{}, nil
	}
	return commit{file: j.file, line: n}, nil
}

// recordNow is record followed by sync, for events recorded outside a call
// (the clock, controls) whose lock the caller keeps.
func (s *Service) recordNow(e stateEvent) error {
	c, err := s.record(e, true)
	if err != nil {
		return err
	}
	return s.jr.sync(c)
}

// sync returns once the commit's line is on disk. It needs no state lock.
func (j *journal) sync(c commit) error {
	if c.file == nil {
		return nil
	}
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	if j.synced >= c.line {
		return nil // a later sync covered it
	}
	upTo := j.written.Load() // every line written so far goes to disk with this sync
	if err := c.file.Sync(); err != nil {
		if errors.Is(err, os.ErrClosed) {
			// The file was rewritten (reset, load): the new one was synced
			// whole before it replaced this one.
			return nil
		}
		return j.fail(err)
	}
	j.synced = upTo
	return nil
}

func (j *journal) fail(err error) error {
	wrapped := fmt.Errorf("the emulator cannot write its state file %s: %w", j.path, err)
	j.broken.CompareAndSwap(nil, &wrapped)
	return j.unusable()
}

// unusable is the reply to every call once the state file is broken.
func (j *journal) unusable() error {
	if j == nil {
		return nil
	}
	broken := j.broken.Load()
	if broken == nil {
		return nil
	}
	return &apiError{code: codeInternalError, recommend: (*broken).Error()}
}

// control runs a test control under the state lock and records it.
func (s *Service) control(name string, args any, do func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.jr.unusable(); err != nil {
		return err
	}
	err := do()
	if rerr := s.recordControl(name, args, err); rerr != nil {
		return rerr
	}
	return err
}

// recordControl records a control that ran, and how it ended.
func (s *Service) recordControl(name string, args any, err error) error {
	if s.jr == nil || s.replaying {
		return nil
	}
	raw, merr := json.Marshal(args)
	if merr != nil {
		return merr
	}
	e := stateEvent{At: s.wall(), Kind: eventControl, Control: name, Args: raw}
	if err != nil {
		e.Result = "error"
	}
	return s.recordNow(e)
}

// known counts the keys and accounts, which issuing a key can add to.
func (st *state) known() int { return len(st.keys) + len(st.accounts) }

// resultCode is the code a call's reply carries; "" for success.
func (s *Service) resultCode(prod *product, action string, err error) string {
	if err == nil {
		return ""
	}
	return s.cat.resolve(prod.pkg, action, err).code
}

// callEvent is the journal's record of an authenticated call.
func callEvent(wall time.Time, prod *product, action, caller string, p params, faulted bool, result string) stateEvent {
	kept := make(map[string][]string, len(p))
	for k, v := range p {
		if !unrecorded(k) {
			kept[k] = v
		}
	}
	return stateEvent{At: wall, Kind: eventCall, Version: prod.version, Action: action, Caller: caller,
		Params: kept, Faulted: faulted, Result: result}
}

// DumpState writes the journal: the header line, then one line per event.
// It fails when the Service does not record.
func (s *Service) DumpState(w io.Writer) error {
	s.mu.Lock()
	lines := s.jr.snapshot()
	s.mu.Unlock()
	if lines == nil {
		return errors.New("emulator: this emulator does not record its state")
	}
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		_, _ = bw.Write(l)
		_ = bw.WriteByte('\n')
	}
	return bw.Flush()
}

func (j *journal) snapshot() [][]byte {
	if j == nil {
		return nil
	}
	return append([][]byte(nil), j.lines...)
}

// parsedState is a state document read and checked line by line.
type parsedState struct {
	header stateHeader
	events []stateEvent
	lines  [][]byte
}

// parseState reads a state document. A last line without its newline is a
// write a crash cut short, which was never acknowledged: it is dropped when
// tolerateCut is set (a state file), an error otherwise.
func parseState(data []byte, tolerateCut bool) (*parsedState, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty: not an alicloud-emulator state")
	}
	raw := bytes.Split(data, []byte("\n"))
	if last := raw[len(raw)-1]; len(last) == 0 {
		raw = raw[:len(raw)-1]
	} else if tolerateCut && len(raw) > 1 {
		raw = raw[:len(raw)-1]
	}
	ps := &parsedState{}
	dec := func(line []byte, v any) error {
		d := json.NewDecoder(bytes.NewReader(line))
		d.DisallowUnknownFields()
		if err := d.Decode(v); err != nil {
			return err
		}
		if d.More() {
			return errors.New("more than one JSON value on the line")
		}
		return nil
	}
	if err := dec(raw[0], &ps.header); err != nil || ps.header.Format != StateFormat {
		return nil, fmt.Errorf("line 1 is not the header of an %s document (format %q, version %d)", StateFormat, StateFormat, StateVersion)
	}
	h := ps.header
	if h.Version != StateVersion {
		return nil, fmt.Errorf("state format version %d; this emulator reads version %d", h.Version, StateVersion)
	}
	if !validAccountID(h.ManagementAccountID) {
		return nil, fmt.Errorf("line 1: managementAccountId %q is not an account ID", h.ManagementAccountID)
	}
	if (h.AccessKeyID == "") != (h.AccessKeySecret == "") {
		return nil, errors.New("line 1: accessKeyId and accessKeySecret go together")
	}
	for _, part := range h.Seed {
		if _, err := strconv.ParseUint(part, 10, 64); err != nil {
			return nil, fmt.Errorf("line 1: seed %q is not an unsigned 64-bit number", part)
		}
	}
	ps.lines = append(ps.lines, raw[0])
	for i, line := range raw[1:] {
		var e stateEvent
		if err := dec(line, &e); err != nil {
			return nil, fmt.Errorf("line %d is not a state event: %v", i+2, err)
		}
		ps.events = append(ps.events, e)
		ps.lines = append(ps.lines, line)
	}
	return ps, nil
}

// config is cfg with the management account, key and seed of the header.
func (ps *parsedState) config(cfg Config) Config {
	h := ps.header
	cfg.ManagementAccountID = h.ManagementAccountID
	cfg.AccessKeyID, cfg.AccessKeySecret = h.AccessKeyID, h.AccessKeySecret
	cfg.seed[0], _ = strconv.ParseUint(h.Seed[0], 10, 64)
	cfg.seed[1], _ = strconv.ParseUint(h.Seed[1], 10, 64)
	return cfg
}

// LoadState replaces the state with the one a document describes, after
// replaying it whole into a fresh state: a document that does not replay
// (a foreign file, an event this emulator answers differently) is an error
// and the current state stays. With a state file, the file is replaced
// atomically.
func (s *Service) LoadState(data []byte) error {
	ps, err := parseState(data, false)
	if err != nil {
		return fmt.Errorf("emulator: load state: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.jr == nil {
		return errors.New("emulator: this emulator does not record its state")
	}
	if err := s.replayLocked(ps); err != nil {
		return fmt.Errorf("emulator: load state: %w", err)
	}
	s.jr.lines = ps.lines
	if s.jr.path != "" {
		if err := s.jr.rewrite(); err != nil {
			return s.jr.fail(err)
		}
	}
	return nil
}

// replayLocked rebuilds the state from ps. On failure nothing changes.
func (s *Service) replayLocked(ps *parsedState) (err error) {
	oldCfg, oldSt, oldStarted := s.cfg, s.st, s.started
	s.cfg = ps.config(s.cfg)
	s.started = ps.header.Started
	s.st = newState(s.cfg, s.started)
	s.replaying = true
	defer func() {
		s.replaying = false
		if v := recover(); v != nil {
			err = fmt.Errorf("replay stopped by an emulator defect: %v", v)
		}
		if err != nil {
			s.cfg, s.st, s.started = oldCfg, oldSt, oldStarted
		}
	}()
	for i, e := range ps.events {
		s.replayAt = e.At
		got, err := s.replayEvent(e)
		if err != nil {
			return fmt.Errorf("line %d (%s): %w", i+2, describe(e), err)
		}
		if got != e.Result {
			return fmt.Errorf("line %d (%s): the emulator now ends it with %q where the state recorded %q; "+
				"the state was written by an emulator that behaves differently", i+2, describe(e), orOK(got), orOK(e.Result))
		}
	}
	return nil
}

func describe(e stateEvent) string {
	switch e.Kind {
	case eventCall:
		return e.Action
	case eventControl:
		return "control " + e.Control
	}
	return e.Kind
}

func orOK(code string) string {
	if code == "" {
		return "success"
	}
	return code
}

// replayEvent applies one event and returns its outcome.
func (s *Service) replayEvent(e stateEvent) (string, error) {
	switch e.Kind {
	case eventCall:
		prod := s.products[e.Version]
		if prod == nil {
			return "", fmt.Errorf("unknown API version %q", e.Version)
		}
		op := prod.ops[e.Action]
		if op == nil {
			return "", fmt.Errorf("unknown action %q", e.Action)
		}
		caller := s.st.accounts[e.Caller]
		if caller == nil {
			return "", fmt.Errorf("unknown calling account %q", e.Caller)
		}
		var fault error
		if e.Faulted {
			fault = &apiError{code: e.Result}
		}
		_, err := s.execute(s.st, e.At, prod, op, params(e.Params), caller, fault)
		return s.resultCode(prod, e.Action, err), nil
	case eventAdvance:
		d, err := time.ParseDuration(e.By)
		if err != nil || d <= 0 {
			return "", fmt.Errorf("by %q is not a positive duration", e.By)
		}
		s.st.offset += d
		return "", nil
	case eventControl:
		run := controlNamed(e.Control)
		if run == nil {
			return "", fmt.Errorf("unknown control %q", e.Control)
		}
		if err := run(s, e.Args); err != nil {
			if errors.Is(err, errBadArgs) {
				return "", err
			}
			return "error", nil
		}
		return "", nil
	}
	return "", fmt.Errorf("unknown event kind %q", e.Kind)
}

// errBadArgs marks a control whose recorded arguments do not decode.
var errBadArgs = errors.New("arguments do not decode")

// controlFunc replays one kind of control from its recorded arguments.
type controlFunc func(s *Service, args json.RawMessage) error

func replayed[A any](do func(s *Service, a A) error) controlFunc {
	return func(s *Service, raw json.RawMessage) error {
		var a A
		if err := json.Unmarshal(raw, &a); err != nil {
			return fmt.Errorf("%w: %v", errBadArgs, err)
		}
		return do(s, a)
	}
}

// OpenStateFile makes the Service keep its state in the file at path: an
// existing file is loaded (an error when it is not a state document this
// emulator replays; it is never replaced), a missing one is created. From
// then on every event is appended to it, and a write is on disk before the
// emulator answers it.
func (s *Service) OpenStateFile(path string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.jr == nil {
		s.jr = &journal{}
		s.jr.reset(s.cfg, s.started)
	}
	if len(s.jr.lines) > 1 {
		return errors.New("emulator: a state file must be opened before the first request")
	}
	s.jr.path = path
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return s.jr.rewrite()
	case err != nil:
		return fmt.Errorf("emulator: state file: %w", err)
	}
	ps, err := parseState(data, true)
	if err != nil {
		return fmt.Errorf("emulator: state file %s: %w", path, err)
	}
	if s.cfg.AccessKeyID != "" && (s.cfg.AccessKeyID != ps.header.AccessKeyID || s.cfg.AccessKeySecret != ps.header.AccessKeySecret) {
		return fmt.Errorf("emulator: state file %s holds another management access key than the one given", path)
	}
	if s.cfg.ManagementAccountID != ps.header.ManagementAccountID && s.cfg.ManagementAccountID != DefaultManagementAccountID {
		return fmt.Errorf("emulator: state file %s holds management account %s, not %s", path, ps.header.ManagementAccountID, s.cfg.ManagementAccountID)
	}
	if err := s.replayLocked(ps); err != nil {
		return fmt.Errorf("emulator: state file %s: %w", path, err)
	}
	s.jr.lines = ps.lines
	if !bytes.HasSuffix(data, []byte("\n")) {
		// A cut last line: write the file again without it.
		return s.jr.rewrite()
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("emulator: state file: %w", err)
	}
	s.jr.file = f
	return nil
}

// rewrite replaces the state file with the journal: a temporary file in the
// same directory, synced, then renamed over it, so that a crash leaves the
// old file or the new one, never a mix.
func (j *journal) rewrite() error {
	dir, base := filepath.Split(j.path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*")
	if err != nil {
		return fmt.Errorf("emulator: state file: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	var b strings.Builder
	for _, l := range j.lines {
		b.Write(l)
		b.WriteByte('\n')
	}
	if _, err := tmp.WriteString(b.String()); err != nil {
		tmp.Close()
		return fmt.Errorf("emulator: state file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("emulator: state file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("emulator: state file: %w", err)
	}
	if err := os.Rename(tmp.Name(), j.path); err != nil {
		return fmt.Errorf("emulator: state file: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // the rename itself survives a power cut
		d.Close()
	}
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	if j.file != nil {
		j.file.Close()
	}
	// Everything written so far is in the synced new file.
	j.synced = j.written.Load()
	j.file, err = os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("emulator: state file: %w", err)
	}
	return nil
}

// CloseStateFile closes the state file; later events stay in memory only.
func (s *Service) CloseStateFile() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.jr
	if j == nil || j.file == nil {
		return nil
	}
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	err := j.file.Sync() // nothing written is left behind
	if cerr := j.file.Close(); err == nil {
		err = cerr
	}
	j.synced = j.written.Load()
	j.file, j.path = nil, ""
	return err
}

// The test controls the journal records, by the name it records them under.
const (
	ctlCredentials                 = "credentials"
	ctlAccountKeys                 = "accountKeys"
	ctlConfirmEmailChange          = "confirmEmailChange"
	ctlBlockAccountDeletion        = "blockAccountDeletion"
	ctlClearAccountDeletionBlocks  = "clearAccountDeletionBlocks"
	ctlMarkServiceLinkedRoleInUse  = "markServiceLinkedRoleInUse"
	ctlClearServiceLinkedRoleUsage = "clearServiceLinkedRoleUsage"
	ctlEnableTrustedService        = "enableTrustedService"
	ctlAddResource                 = "addResource"
	ctlRemoveResource              = "removeResource"
)

// controlNamed is the replay of a recorded control; nil for an unknown name.
func controlNamed(name string) controlFunc {
	switch name {
	case ctlCredentials:
		return replayed(func(s *Service, id string) error {
			s.st.credentials(id, s.st.now(s.wall()))
			return nil
		})
	case ctlAccountKeys:
		return replayed(func(s *Service, _ struct{}) error {
			s.accountKeys()
			return nil
		})
	case ctlConfirmEmailChange:
		return replayed((*Service).confirmEmailChange)
	case ctlBlockAccountDeletion:
		return replayed(func(s *Service, a blockArgs) error { return s.blockAccountDeletion(a.AccountID, a.Blocker) })
	case ctlClearAccountDeletionBlocks:
		return replayed((*Service).clearAccountDeletionBlocks)
	case ctlMarkServiceLinkedRoleInUse:
		return replayed((*Service).markServiceLinkedRoleInUse)
	case ctlClearServiceLinkedRoleUsage:
		return replayed((*Service).clearServiceLinkedRoleUsage)
	case ctlEnableTrustedService:
		return replayed((*Service).enableTrustedService)
	case ctlAddResource:
		return replayed(func(s *Service, r Resource) error {
			_, err := s.addResource(r)
			return err
		})
	case ctlRemoveResource:
		return replayed(func(s *Service, r Resource) error {
			s.removeResource(r)
			return nil
		})
	}
	return nil
}

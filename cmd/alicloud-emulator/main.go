// Command alicloud-emulator serves the emulator of Alibaba Cloud Resource
// Manager (2020-03-31) and Resource Sharing (2020-01-10) on one port, for
// clients that are not Go tests: the aliyun CLI, Terraform, the official
// SDKs in any language, or Go programs. It is the same emulator that package
// alicloudtest runs inside Go tests.
//
//	go run github.com/resourcekit/alicloud/cmd/alicloud-emulator@latest \
//	    -addr 127.0.0.1:8080 -state emulator.state -access-key-id ID -access-key-secret SECRET
//
// Both products answer on the one endpoint (plain HTTP); the request's
// Version picks the product. Requests must be signed (V1 HMAC-SHA1 or
// ACS3-HMAC-SHA256) with a key the emulator issued: the management
// account's key is the one given by the flags, or a random one printed at
// start. The admin API under /_emulator/ (health, reset, clock, faults,
// accounts and their keys, state, and the test controls of
// alicloudtest.Server) drives it from tests; see the README.
//
// With -state FILE the whole state (resources, accounts and their keys, the
// clock) survives restarts: the file is loaded at start and every
// acknowledged write is on disk before its reply. GET and PUT
// /_emulator/state dump and load the same document (see the README for the
// format).
//
// It listens on loopback only unless -allow-remote is given, and then the
// admin API requires the bearer token of -admin-token.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/resourcekit/alicloud/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "alicloud-emulator:", err)
		}
		os.Exit(2)
	}
}

// settings are the command line.
type settings struct {
	addr, keyID, keySecret, managementID string
	statePath                            string
	allowRemote                          bool
	adminToken                           string
	logLevel                             slog.Level
}

func parseFlags(args []string, stderr io.Writer) (settings, error) {
	var s settings
	fs := flag.NewFlagSet("alicloud-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&s.addr, "addr", "127.0.0.1:8080", "`host:port` to listen on (port 0 picks a free one)")
	fs.StringVar(&s.keyID, "access-key-id", "", "the management account's AccessKey ID (random when empty)")
	fs.StringVar(&s.keySecret, "access-key-secret", "", "the management account's AccessKey secret (random when empty)")
	fs.StringVar(&s.managementID, "management-account-id", emulator.DefaultManagementAccountID, "the management account's `ID` (digits)")
	fs.StringVar(&s.statePath, "state", "", "state `file`: loaded at start when it exists, created otherwise, and kept up to date (every acknowledged write is on disk)")
	fs.BoolVar(&s.allowRemote, "allow-remote", false, "allow an address other than loopback (needs -admin-token)")
	fs.StringVar(&s.adminToken, "admin-token", "", "bearer `token` required by the admin API (required with -allow-remote)")
	level := fs.String("log-level", "info", "request log `level`: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return s, err
	}
	if fs.NArg() > 0 {
		return s, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if err := s.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return s, fmt.Errorf("-log-level: %w", err)
	}
	if (s.keyID == "") != (s.keySecret == "") {
		return s, errors.New("-access-key-id and -access-key-secret go together")
	}
	host, _, err := net.SplitHostPort(s.addr)
	if err != nil {
		return s, fmt.Errorf("-addr: %w", err)
	}
	if !isLoopback(host) {
		if !s.allowRemote {
			return s, fmt.Errorf("-addr %s is not a loopback address: add -allow-remote (and -admin-token) to listen there", s.addr)
		}
		if s.adminToken == "" {
			return s, errors.New("-allow-remote needs -admin-token: the admin API can reset and read every key")
		}
	}
	return s, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// handler routes the admin API and the services on one port.
func handler(svc *emulator.Service, adminToken string) http.Handler {
	admin := svc.AdminHandler(adminToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, emulator.AdminPrefix) {
			admin.ServeHTTP(w, r)
			return
		}
		svc.ServeHTTP(w, r)
	})
}

// run serves until ctx ends, then shuts down gracefully.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	s, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: s.logLevel}))
	svc, err := emulator.NewService(emulator.Config{
		ManagementAccountID: s.managementID,
		AccessKeyID:         s.keyID,
		AccessKeySecret:     s.keySecret,
		Logger:              logger,
	})
	if err != nil {
		return err
	}
	svc.Record()
	if s.statePath != "" {
		if err := svc.OpenStateFile(s.statePath); err != nil {
			return err
		}
		defer svc.CloseStateFile()
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	var conns emulator.ConnTracker
	hs := &http.Server{
		Handler:           handler(svc, s.adminToken),
		ConnState:         conns.Track,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	keyID, secret := svc.Credentials("")
	line := fmt.Sprintf("alicloud-emulator ready url=http://%s management_account=%s access_key_id=%s",
		ln.Addr(), svc.ManagementAccountID(), keyID)
	if s.keyID == "" {
		// A key the user did not choose is useless unless they can read it.
		line += " access_key_secret=" + secret
	}
	fmt.Fprintln(stdout, line)

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Requests under way may finish; connections that carry none go now.
	if err := conns.Shutdown(hs, ln, 5*time.Second); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcemanager"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "otel:", err)
		os.Exit(1)
	}
}

// run makes a throttled-then-successful call against the emulator and
// writes its spans (one operation, two attempts) to w as JSON.
func run(ctx context.Context, w io.Writer) error {
	exporter, err := stdouttrace.New(stdouttrace.WithWriter(w), stdouttrace.WithPrettyPrint())
	if err != nil {
		return err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	defer func() { _ = tp.Shutdown(ctx) }()

	srv, err := alicloudtest.Start()
	if err != nil {
		return err
	}
	defer srv.Close()
	cfg := srv.Config()
	cfg.Hooks = []alicloud.Hook{TracingHook{Tracer: tp.Tracer("github.com/resourcekit/alicloud")}}
	cfg.Retry = alicloud.RetryOptions{MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}

	srv.ThrottleNext(1)
	_, err = resourcemanager.New(cfg).ListAccounts(ctx, nil)
	return err
}

// Command otel shows how to turn the SDK's hooks into OpenTelemetry spans.
// It lives in its own module so that the SDK itself takes no tracing
// dependency: the hook interface (alicloud.Hook) carries everything a span
// needs, and nothing secret.
//
//	cd examples/otel && go run .
package main

import (
	"context"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/resourcekit/alicloud"
)

// TracingHook records one span per operation and one per attempt. Hooks
// are called when an attempt or operation has finished, so spans are
// started in the past (now minus the measured latency) and ended at once.
type TracingHook struct {
	Tracer trace.Tracer
}

var _ alicloud.Hook = TracingHook{}

// OnAttempt records an attempt: one HTTP round trip.
func (h TracingHook) OnAttempt(ctx context.Context, a alicloud.AttemptInfo) {
	end := time.Now()
	_, span := h.Tracer.Start(ctx, a.Product+"/"+a.Action+" attempt "+strconv.Itoa(a.Attempt),
		trace.WithTimestamp(end.Add(-a.Latency)), trace.WithSpanKind(trace.SpanKindClient))
	span.SetAttributes(
		attribute.String("rpc.system", "alibaba_cloud"),
		attribute.String("rpc.service", a.Product),
		attribute.String("rpc.method", a.Action),
		attribute.Int("alicloud.attempt", a.Attempt),
		attribute.Bool("alicloud.retry", a.Retry),
	)
	if a.HTTPStatus != 0 {
		span.SetAttributes(attribute.Int("http.response.status_code", a.HTTPStatus))
	}
	if a.RequestID != "" {
		span.SetAttributes(attribute.String("alicloud.request_id", a.RequestID))
	}
	if a.Retry {
		span.SetAttributes(attribute.Int64("alicloud.backoff_ms", a.Backoff.Milliseconds()))
	}
	finish(span, a.Code, a.Err, end)
}

// OnOperation records the whole operation, retries included.
func (h TracingHook) OnOperation(ctx context.Context, o alicloud.OperationInfo) {
	end := time.Now()
	_, span := h.Tracer.Start(ctx, o.Product+"/"+o.Action,
		trace.WithTimestamp(end.Add(-o.Latency)), trace.WithSpanKind(trace.SpanKindClient))
	span.SetAttributes(
		attribute.String("rpc.system", "alibaba_cloud"),
		attribute.String("rpc.service", o.Product),
		attribute.String("rpc.method", o.Action),
		attribute.Int("alicloud.attempts", o.Attempts),
	)
	if o.HTTPStatus != 0 {
		span.SetAttributes(attribute.Int("http.response.status_code", o.HTTPStatus))
	}
	if o.RequestID != "" {
		span.SetAttributes(attribute.String("alicloud.request_id", o.RequestID))
	}
	finish(span, o.Code, o.Err, end)
}

func finish(span trace.Span, code string, err error, end time.Time) {
	switch {
	case code != "":
		span.SetAttributes(attribute.String("alicloud.error_code", code))
		span.SetStatus(codes.Error, code)
	case err != nil:
		span.SetStatus(codes.Error, err.Error())
	}
	span.End(trace.WithTimestamp(end))
}

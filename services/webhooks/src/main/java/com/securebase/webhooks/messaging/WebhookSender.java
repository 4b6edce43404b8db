package com.securebase.webhooks.messaging;

import com.securebase.tenancy.AddressPolicy;
import com.securebase.webhooks.domain.AttemptOutcome;
import com.securebase.webhooks.domain.EndpointSecret;
import com.securebase.webhooks.domain.SignatureV1;
import com.securebase.webhooks.persistence.DeliveryQueue.Claimed;
import com.securebase.webhooks.persistence.Message;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends one signed delivery (non-blocking, on Vert.x). The host is resolved first and every address
 * it resolves to is checked by the {@link AddressPolicy}; the connection then goes to the checked
 * address (with the URL's host for the Host header and TLS SNI), so a DNS answer cannot change
 * between the check and the connect.
 */
public class WebhookSender {
  /** Longest response excerpt kept per attempt. */
  static final int EXCERPT_BYTES = 1024;

  private final Vertx vertx;
  private final Context context;
  private final HttpClient client;
  private final AddressPolicy policy;
  private final Duration timeout;
  private final Clock clock;

  /** What one attempt produced. */
  public record Sent(
      Claimed delivery,
      Instant attemptedAt,
      AttemptOutcome outcome,
      Integer statusCode,
      int latencyMs,
      String responseExcerpt,
      String error,
      Duration retryAfter) {}

  public WebhookSender(
      Vertx vertx, AddressPolicy policy, Duration timeout, int connectionsPerHost, Clock clock) {
    this.vertx = vertx;
    this.policy = policy;
    this.timeout = timeout;
    this.clock = clock;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) Math.min(timeout.toMillis(), 10_000))
                .setKeepAlive(true)
                .setTrustAll(false)
                .setVerifyHost(true),
            new PoolOptions().setHttp1MaxSize(connectionsPerHost));
  }

  /**
   * Sends on the sender's own event loop: a request started from another thread gets a context of
   * its own while its pooled connection may live on another event loop, and then the response can
   * end before its handlers are set (an {@code IllegalStateException} recorded as a connection
   * error although the receiver got the message, which it then got again on the retry).
   */
  public Future<Sent> send(Claimed d) {
    Promise<Sent> sent = Promise.promise();
    context.runOnContext(v -> attempt(d).onComplete(sent));
    return sent.future();
  }

  private Future<Sent> attempt(Claimed d) {
    Instant attemptedAt = clock.instant();
    long started = System.nanoTime();
    URI url = URI.create(d.url());
    String host = url.getHost();
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    String path =
        (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
            + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    return resolve(host)
        .transform(
            resolved -> {
              if (resolved.failed()) {
                return Future.succeededFuture(
                    failure(
                        d,
                        attemptedAt,
                        started,
                        AttemptOutcome.CONNECTION_ERROR,
                        "Cannot resolve " + host + ": " + describe(resolved.cause())));
              }
              InetAddress target = null;
              for (InetAddress address : resolved.result()) {
                Optional<String> refusal = policy.refusal(address);
                if (refusal.isPresent()) {
                  return Future.succeededFuture(
                      failure(
                          d,
                          attemptedAt,
                          started,
                          AttemptOutcome.REFUSED,
                          "Refused by the SSRF guard: " + refusal.get()));
                }
                target = target == null ? address : target;
              }
              long timestamp = attemptedAt.getEpochSecond();
              String webhookId = Message.webhookId(d.messageId());
              String signature =
                  SignatureV1.header(
                      EndpointSecret.signing(
                          d.secret(),
                          d.previousSecret(),
                          d.previousSecretExpiresAt() == null
                              ? null
                              : d.previousSecretExpiresAt().toInstant(),
                          attemptedAt),
                      webhookId,
                      timestamp,
                      d.payload());
              RequestOptions request =
                  new RequestOptions()
                      .setMethod(HttpMethod.POST)
                      .setServer(SocketAddress.inetSocketAddress(port, target.getHostAddress()))
                      .setHost(host)
                      .setPort(port)
                      .setSsl(https)
                      .setURI(path)
                      .putHeader("content-type", "application/json")
                      .putHeader("user-agent", "SecureBase-Webhooks/1")
                      .putHeader("webhook-id", webhookId)
                      .putHeader("webhook-timestamp", Long.toString(timestamp))
                      .putHeader("webhook-signature", signature);
              return post(d, request, attemptedAt, started);
            });
  }

  private Future<Sent> post(Claimed d, RequestOptions options, Instant attemptedAt, long started) {
    Promise<Sent> result = Promise.promise();
    AtomicReference<HttpClientRequest> sending = new AtomicReference<>();
    long timer =
        vertx.setTimer(
            timeout.toMillis(),
            t -> {
              boolean timedOut =
                  result.tryComplete(
                      failure(
                          d,
                          attemptedAt,
                          started,
                          AttemptOutcome.TIMEOUT,
                          "No response within " + timeout.toSeconds() + " s"));
              HttpClientRequest request = sending.get();
              if (timedOut && request != null) {
                request.reset(); // frees the connection the slow receiver holds
              }
            });
    client
        .request(options)
        .compose(
            (HttpClientRequest request) -> {
              sending.set(request);
              return request.send(Buffer.buffer(d.payload(), "UTF-8"));
            })
        .compose(
            response ->
                excerpt(response).map(body -> answered(d, attemptedAt, started, response, body)))
        .onComplete(
            done -> {
              vertx.cancelTimer(timer);
              result.tryComplete(
                  done.succeeded()
                      ? done.result()
                      : failure(
                          d,
                          attemptedAt,
                          started,
                          AttemptOutcome.CONNECTION_ERROR,
                          describe(done.cause())));
            });
    return result.future();
  }

  /** The first {@link #EXCERPT_BYTES} bytes of the body; the rest is read and dropped. */
  private static Future<String> excerpt(HttpClientResponse response) {
    Promise<String> body = Promise.promise();
    Buffer kept = Buffer.buffer();
    response.handler(
        chunk -> {
          int room = EXCERPT_BYTES - kept.length();
          if (room > 0) {
            kept.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
          }
        });
    response.exceptionHandler(body::tryFail);
    response.endHandler(v -> body.tryComplete(kept.toString(StandardCharsets.UTF_8)));
    return body.future();
  }

  private Sent answered(
      Claimed d, Instant attemptedAt, long started, HttpClientResponse response, String body) {
    int status = response.statusCode();
    AttemptOutcome outcome = AttemptOutcome.ofStatus(status);
    return new Sent(
        d,
        attemptedAt,
        outcome,
        status,
        millisSince(started),
        body.isEmpty() ? null : body,
        outcome == AttemptOutcome.SUCCEEDED ? null : "HTTP " + status,
        outcome == AttemptOutcome.SUCCEEDED
            ? null
            : retryAfter(response.getHeader("retry-after"), attemptedAt));
  }

  private static Sent failure(
      Claimed d, Instant attemptedAt, long started, AttemptOutcome outcome, String error) {
    return new Sent(d, attemptedAt, outcome, null, millisSince(started), null, error, null);
  }

  private Future<List<InetAddress>> resolve(String host) {
    if (AddressPolicy.isLiteral(host)) {
      return Future.succeededFuture(List.of(AddressPolicy.literal(host)));
    }
    return vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false);
  }

  /** {@code Retry-After} as seconds or an HTTP date; null if absent or unreadable. */
  static Duration retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String v = header.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Duration wait =
            Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (RuntimeException notADate) {
        return null;
      }
    }
  }

  /** The failure as recorded on the attempt: its message, or its kind when it has none. */
  static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }

  private static int millisSince(long started) {
    return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
  }

  public void close() {
    client.close();
  }
}

package com.securebase.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * HTTP/1.1 requests sent by Vert.x's client from one event loop, each answer starting the next
 * request. The clock starts as a request is issued and stops at its last body byte, on that same
 * thread with no hand-off in between, so the client adds as little as it can to the tail being
 * measured. (The JDK client passes every answer from its selector thread to another thread and then
 * to the caller; on two shared cores those wake-ups alone gave a direct loopback call a p99 of 3–4
 * ms.) Other asynchronous calls, such as a baseline's SQL, run in the same closed loop.
 */
final class EventLoopLoad {
  /**
   * A request to {@code uri} on a loopback port, with these headers and body (null for none); any
   * status but {@code expected} fails.
   */
  record Target(
      int port,
      HttpMethod method,
      String uri,
      Map<String, String> headers,
      Buffer body,
      int expected) {
    /** A GET that must answer 200. */
    static Target get(int port, String uri, Map<String, String> headers) {
      return new Target(port, HttpMethod.GET, uri, headers, null, 200);
    }
  }

  private final HttpClient client;
  private final Context loop;

  EventLoopLoad(Vertx vertx) {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(256));
    loop = vertx.getOrCreateContext();
  }

  /**
   * {@code rounds} requests to each target, one at a time, taking the targets in turn so that
   * machine noise falls on all of them alike; one result per target.
   */
  List<ClosedLoop.Result> alternate(int rounds, List<Target> targets) throws Exception {
    List<Latencies> latencies = new ArrayList<>();
    targets.forEach(t -> latencies.add(new Latencies()));
    int[] failures = new int[targets.size()];
    CompletableFuture<Void> done = new CompletableFuture<>();
    long started = System.nanoTime();
    loop.runOnContext(
        v ->
            new Runnable() {
              private int sent;

              @Override
              public void run() {
                if (sent == rounds * targets.size()) {
                  done.complete(null);
                  return;
                }
                int which = sent++ % targets.size();
                send(targets.get(which))
                    .onComplete(
                        answer -> {
                          record(answer, latencies.get(which), failures, which);
                          run();
                        });
              }
            }.run());
    done.get(30, TimeUnit.MINUTES);
    long nanos = System.nanoTime() - started;
    List<ClosedLoop.Result> results = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      results.add(new ClosedLoop.Result(latencies.get(i), nanos, failures[i]));
    }
    return results;
  }

  /** {@code total} requests to one target, {@code inFlight} at a time (a closed loop). */
  ClosedLoop.Result closedLoop(Target target, int total, int inFlight) throws Exception {
    return closedLoop(() -> send(target), total, inFlight);
  }

  /**
   * {@code total} calls of any asynchronous operation (a statement on a reactive SQL pool, say),
   * {@code inFlight} at a time from this loop, each completing with its latency in nanoseconds: a
   * baseline sent exactly as the requests it is compared with.
   */
  ClosedLoop.Result closedLoop(Supplier<Future<Long>> call, int total, int inFlight)
      throws Exception {
    Latencies latencies = new Latencies();
    int[] failures = new int[1];
    CompletableFuture<Void> done = new CompletableFuture<>();
    long started = System.nanoTime();
    loop.runOnContext(
        v -> {
          Runnable chain =
              new Runnable() {
                private int remaining = total; // shared by every chain, read on this loop only
                private int finishedChains;

                @Override
                public void run() {
                  if (remaining == 0) {
                    if (++finishedChains == inFlight) {
                      done.complete(null);
                    }
                    return;
                  }
                  remaining--;
                  call.get()
                      .onComplete(
                          answer -> {
                            record(answer, latencies, failures, 0);
                            run();
                          });
                }
              };
          for (int i = 0; i < inFlight; i++) {
            chain.run();
          }
        });
    done.get(30, TimeUnit.MINUTES);
    return new ClosedLoop.Result(latencies, System.nanoTime() - started, failures[0]);
  }

  private static void record(
      AsyncResult<Long> answer, Latencies latencies, int[] failures, int index) {
    if (answer.succeeded()) {
      latencies.add(answer.result());
    } else {
      failures[index]++;
    }
  }

  /** A call on this loop that completes with its own latency in nanoseconds. */
  static <T> Future<Long> timed(Supplier<Future<T>> call) {
    long started = System.nanoTime();
    return call.get().map(done -> System.nanoTime() - started);
  }

  /** Completes with the request's latency in nanoseconds once its body is read. */
  private Future<Long> send(Target target) {
    long started = System.nanoTime();
    RequestOptions options =
        new RequestOptions()
            .setMethod(target.method())
            .setHost("127.0.0.1")
            .setPort(target.port())
            .setURI(target.uri());
    target.headers().forEach(options::putHeader);
    return client
        .request(options)
        .compose(r -> target.body() == null ? r.send() : r.send(target.body()))
        .compose(
            response ->
                response
                    .body()
                    .compose(
                        body ->
                            response.statusCode() == target.expected()
                                ? Future.succeededFuture(System.nanoTime() - started)
                                : Future.failedFuture("HTTP " + response.statusCode())));
  }
}

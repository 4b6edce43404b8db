package com.securebase.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventJson;
import com.securebase.infra.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * One caller's requests to a service (the gateway, or a service directly for what only the cluster
 * calls), with a bearer token (or none).
 */
record ApiCaller(ServiceProcess server, String token) {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Duration WAIT = Duration.ofSeconds(60);

  /** Sends {@code body} (JSON, or none), expects {@code status} and answers the JSON body. */
  JsonNode call(String method, String path, String body, int status) throws Exception {
    HttpResponse<byte[]> response = send(method, path, body, "application/json");
    assertThat(response.statusCode())
        .as("%s %s: %s", method, path, new String(response.body()))
        .isEqualTo(status);
    return response.body().length == 0 ? null : EventJson.tree(response.body());
  }

  /** The raw answer, for downloads and for refusals whose status is the point. */
  HttpResponse<byte[]> send(String method, String path, String body, String accept)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.url(path))).header("Accept", accept);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return HTTP.send(
        request
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Polls until {@code poll} answers non-null (and not false), failing after {@link #WAIT}. */
  static <T> T until(String what, Callable<T> poll) throws Exception {
    return until(what, WAIT, poll);
  }

  /** As {@link #until(String, Callable)}, waiting up to {@code wait}. */
  static <T> T until(String what, Duration wait, Callable<T> poll) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      T found = poll.call();
      if (found != null && !Boolean.FALSE.equals(found)) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("No " + what + " within " + wait);
      }
      Thread.sleep(250);
    }
  }
}

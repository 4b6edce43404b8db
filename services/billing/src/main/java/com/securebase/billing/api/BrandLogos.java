package com.securebase.billing.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tenant's logo for its PDFs, fetched once per URL with a short timeout and a size cap, and
 * remembered (a miss too, for a while), so an unreachable logo costs one timeout, not one per PDF.
 * Blocking: called on the worker thread that renders the PDF.
 */
@ApplicationScoped
public class BrandLogos {
  private static final int MAX_BYTES = 1 << 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final long MISS_TTL_NANOS = Duration.ofMinutes(10).toNanos();

  private record Fetched(byte[] bytes, long at) {}

  private final Map<String, Fetched> cache = new ConcurrentHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** The logo's bytes, or null when there is none or it cannot be had. */
  public byte[] logo(String url) {
    if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
      return null;
    }
    Fetched hit = cache.get(url);
    if (hit != null && (hit.bytes() != null || System.nanoTime() - hit.at() < MISS_TTL_NANOS)) {
      return hit.bytes();
    }
    byte[] bytes = fetch(url);
    cache.put(url, new Fetched(bytes, System.nanoTime()));
    return bytes;
  }

  private byte[] fetch(String url) {
    try {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          return null;
        }
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        return bytes.length > MAX_BYTES ? null : bytes;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null;
    }
  }
}

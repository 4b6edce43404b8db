package com.securebase.billing.api;

import com.securebase.tenancy.AddressPolicy;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A tenant's logo for its PDFs, fetched once per URL with a short timeout and a size cap, and
 * remembered (a miss too, for a while), so an unreachable logo costs one timeout, not one per PDF.
 * The URL is the tenant's: a host that resolves to an internal address (loopback, private,
 * link-local with the cloud metadata service, …) is never requested, as for webhooks. The check is
 * on the resolved addresses just before the request; a DNS answer that changes in between is the
 * remaining gap (webhooks connect to the checked address itself). Blocking: called on the worker
 * thread that renders the PDF.
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

  /** Ranges allowed despite the rule (development only); never set in production. */
  @ConfigProperty(name = "securebase.billing.logo.allowlist")
  Optional<List<String>> allowlist;

  private AddressPolicy policy;

  @PostConstruct
  void init() {
    policy = AddressPolicy.parse(allowlist.orElse(List.of()));
  }

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
      String host = URI.create(url).getHost();
      if (host == null) {
        return null;
      }
      InetAddress[] addresses =
          AddressPolicy.isLiteral(host)
              ? new InetAddress[] {AddressPolicy.literal(host)}
              : InetAddress.getAllByName(host);
      for (InetAddress address : addresses) {
        if (policy.refusal(address).isPresent()) {
          return null;
        }
      }
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

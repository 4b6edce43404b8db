package com.securebase.gateway.domain;

import com.securebase.gateway.persistence.EdgeLookups;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies what a request presents at the edge (a JWT, or an API key) and caches the outcome so
 * that the hot path is a hash and a map lookup: API keys for {@code cache-ttl} (a revocation on
 * another replica takes effect within it; on this one at once), tenant policies and session
 * liveness (logout) likewise. A key's downstream JWT is minted once and reused until shortly before
 * it expires.
 */
@ApplicationScoped
public class EdgeAuthenticator {
  @Inject EdgeLookups lookups;
  @Inject TokenIssuer issuer;
  @Inject JWTParser parser;
  @Inject io.vertx.core.Vertx vertx;
  @Inject MeterRegistry meters;

  private Timer verifiedFromCache;
  private Timer verifiedFromDatabase;

  /**
   * API-key verification time, split by cache outcome, with p50/p99 published (SLO: p99 under 1 ms
   * on a hit); {@code make bench} reads these from {@code /q/metrics}.
   */
  @PostConstruct
  void timers() {
    verifiedFromCache = verificationTimer("hit");
    verifiedFromDatabase = verificationTimer("miss");
  }

  private Timer verificationTimer(String cache) {
    return Timer.builder("securebase.gateway.apikey.verification")
        .description("API-key verification at the edge")
        .tag("cache", cache)
        .publishPercentiles(0.5, 0.99)
        .percentilePrecision(2)
        .register(meters);
  }

  @ConfigProperty(name = "securebase.auth.cache-ttl", defaultValue = "30s")
  Duration cacheTtl;

  private final ConcurrentHashMap<ByteBuffer, Cached<Credentials>> keys = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<UUID, Cached<TenantPolicy>> policies = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<UUID, Long> touched = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<UUID, Cached<Boolean>> sessions = new ConcurrentHashMap<>();

  private record Cached<T>(T value, long until) {
    boolean fresh() {
      return System.nanoTime() < until;
    }
  }

  /** Bounds memory: past this size a put first drops every expired entry. */
  private static final int PRUNE_ABOVE = 50_000;

  private static <K, T> void put(ConcurrentHashMap<K, Cached<T>> cache, K key, Cached<T> value) {
    if (cache.size() > PRUNE_ABOVE) {
      cache.values().removeIf(c -> !c.fresh());
    }
    cache.put(key, value);
  }

  /** Verifies an API key secret; empty when unknown, revoked or expired. */
  public Uni<Optional<Credentials>> apiKey(String secret) {
    if (!ApiKeySecret.looksLikeKey(secret)) {
      return Uni.createFrom().item(Optional.empty());
    }
    long started = System.nanoTime();
    ByteBuffer hash = ByteBuffer.wrap(ApiKeySecret.sha256(secret));
    Cached<Credentials> hit = keys.get(hash);
    if (hit != null
        && hit.fresh()
        && hit.value().tokenExpiresAt().isAfter(Instant.now().plusSeconds(60))) {
      touch(UUID.fromString(hit.value().subject()));
      verifiedFromCache.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      return Uni.createFrom().item(Optional.of(hit.value()));
    }
    return lookups
        .keyBySecret(secret)
        .chain(
            found -> {
              if (found.isEmpty()) {
                keys.remove(hash);
                return Uni.createFrom().item(Optional.<Credentials>empty());
              }
              EdgeLookups.KeyRecord key = found.get();
              return policy(key.tenantId())
                  .map(
                      policy ->
                          policy.map(
                              p -> {
                                TokenIssuer.IssuedToken token =
                                    issuer.issue(
                                        key.tenantId(),
                                        key.keyId().toString(),
                                        "apikey",
                                        Set.copyOf(key.scopes()),
                                        p.tier());
                                Instant tokenExpiry =
                                    key.expiresAt() == null
                                        ? token.expiresAt()
                                        : min(token.expiresAt(), key.expiresAt().toInstant());
                                Credentials credentials =
                                    new Credentials(
                                        key.tenantId(),
                                        key.keyId().toString(),
                                        "apikey",
                                        Set.copyOf(key.scopes()),
                                        p.tier(),
                                        token.token(),
                                        tokenExpiry);
                                put(
                                    keys,
                                    hash,
                                    new Cached<>(
                                        credentials, System.nanoTime() + cacheTtl.toNanos()));
                                touch(key.keyId());
                                return credentials;
                              }));
            })
        .invoke(
            () -> verifiedFromDatabase.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
  }

  /**
   * Verifies a JWT (signature, issuer, expiry) and, when it belongs to a session, that the session
   * has not been logged out or revoked; empty when invalid.
   */
  public Uni<Optional<Credentials>> jwt(String token) {
    JsonWebToken jwt;
    Credentials credentials;
    try {
      jwt = parser.parse(token);
      String tenant = jwt.getClaim("tenant");
      String tier = jwt.getClaim("tier");
      String kind = jwt.getClaim("kind");
      credentials =
          new Credentials(
              UUID.fromString(tenant),
              jwt.getSubject(),
              kind == null ? "user" : kind,
              jwt.getGroups(),
              Tier.fromCode(tier == null ? "standard" : tier),
              token,
              Instant.ofEpochSecond(jwt.getExpirationTime()));
    } catch (ParseException | IllegalArgumentException | NullPointerException e) {
      return Uni.createFrom().item(Optional.empty());
    }
    return sessionLive(jwt)
        .map(live -> live ? Optional.of(credentials) : Optional.<Credentials>empty());
  }

  /** True for a token without a session, or whose session is live (cached like keys). */
  public Uni<Boolean> sessionLive(JsonWebToken jwt) {
    String sid = jwt.getClaim(TokenIssuer.SESSION_CLAIM);
    if (sid == null) {
      return Uni.createFrom().item(true);
    }
    UUID familyId;
    try {
      familyId = UUID.fromString(sid);
    } catch (IllegalArgumentException e) {
      return Uni.createFrom().item(false);
    }
    Cached<Boolean> hit = sessions.get(familyId);
    if (hit != null && hit.fresh()) {
      return Uni.createFrom().item(hit.value());
    }
    return lookups
        .sessionLive(familyId)
        .invoke(
            live ->
                put(
                    sessions,
                    familyId,
                    new Cached<>(live, System.nanoTime() + cacheTtl.toNanos())));
  }

  /** A session ended on this replica: refuse its access tokens here at once. */
  public void forgetSession(UUID familyId) {
    put(sessions, familyId, new Cached<>(false, System.nanoTime() + cacheTtl.toNanos()));
  }

  public Uni<Optional<TenantPolicy>> policy(UUID tenantId) {
    Cached<TenantPolicy> hit = policies.get(tenantId);
    if (hit != null && hit.fresh()) {
      return Uni.createFrom().item(Optional.of(hit.value()));
    }
    return lookups
        .policy(tenantId)
        .invoke(
            p ->
                p.ifPresent(
                    value ->
                        put(
                            policies,
                            tenantId,
                            new Cached<>(value, System.nanoTime() + cacheTtl.toNanos()))));
  }

  /** Drops cached state after a revocation or a tenant change on this replica. */
  public void forgetKey(byte[] secretHash) {
    keys.remove(ByteBuffer.wrap(secretHash));
  }

  public void forgetTenant(UUID tenantId) {
    policies.remove(tenantId);
  }

  /** Records last use at most once a minute per key, off the request path. */
  private void touch(UUID keyId) {
    long now = System.nanoTime();
    Long last = touched.get(keyId);
    if (last == null || now - last > Duration.ofMinutes(1).toNanos()) {
      touched.put(keyId, now);
      // On a fresh context: never join (and re-scope) a transaction of the request in flight.
      io.vertx.core.Context fresh =
          io.smallrye.common.vertx.VertxContext.createNewDuplicatedContext(
              vertx.getOrCreateContext());
      io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.setContextSafe(fresh, true);
      fresh.runOnContext(
          v -> lookups.touchKey(keyId).subscribe().with(ok -> {}, e -> touched.remove(keyId)));
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}

package com.securebase.analytics.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Answers by the hash of the query's canonical form, kept until their TTL passes or a point lands
 * in their range for one of their metrics (whichever comes first).
 */
public final class QueryCache {
  private QueryCache() {}

  public static String key(String canonical) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cached answer, or null. */
  public static Uni<JsonObject> get(SqlClient sql, UUID tenant, String key, Instant now) {
    return sql.preparedQuery(
            "select body from query_cache where tenant_id = $1 and key = $2 and expires_at > $3")
        .execute(Tuple.of(tenant, key, PointStore.utc(now)))
        .map(rows -> rows.size() == 0 ? null : (JsonObject) rows.iterator().next().getValue(0));
  }

  /**
   * Caches an answer computed after reading ingest version {@code version}, unless an ingest has
   * committed since or is committing now (the share lock waits for it): that ingest's invalidation
   * may have run before this row existed.
   */
  public static Uni<Void> put(
      SqlClient sql,
      UUID tenant,
      long version,
      String key,
      List<String> metrics,
      Instant from,
      Instant to,
      JsonObject body,
      Instant expires) {
    return sql.preparedQuery(
            "insert into query_cache (tenant_id, key, metrics, from_ts, to_ts, body, expires_at)"
                + " select $1::uuid, $2::text, $3::text[], $4::timestamptz, $5::timestamptz,"
                + " $6::jsonb, $7::timestamptz where coalesce((select version from"
                + " metrics_notice where tenant_id = $1::uuid for share), 0) = $8::bigint on conflict"
                + " (tenant_id, key) do update set body = excluded.body, expires_at ="
                + " excluded.expires_at")
        .execute(
            Tuple.from(
                new Object[] {
                  tenant,
                  key,
                  metrics.toArray(String[]::new),
                  PointStore.utc(from),
                  PointStore.utc(to),
                  body,
                  PointStore.utc(expires),
                  version
                }))
        .replaceWithVoid();
  }

  /** Drops the answers whose range holds {@code [first, last]} for one of {@code metrics}. */
  public static Uni<Integer> invalidate(
      SqlClient sql, UUID tenant, String[] metrics, Instant first, Instant last) {
    return sql.preparedQuery(
            "delete from query_cache where tenant_id = $1 and metrics && $2 and from_ts <= $4 and"
                + " to_ts > $3")
        .execute(Tuple.of(tenant, metrics, PointStore.utc(first), PointStore.utc(last)))
        .map(r -> r.rowCount());
  }

  /** Drops expired answers of every tenant (system scope). */
  public static Uni<Integer> sweep(SqlClient sql, Instant now) {
    return sql.preparedQuery("delete from query_cache where expires_at <= $1")
        .execute(Tuple.of(PointStore.utc(now)))
        .map(r -> r.rowCount());
  }
}

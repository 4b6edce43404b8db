package com.securebase.billing.persistence;

import com.securebase.billing.domain.Aggregation;
import com.securebase.billing.domain.Charge;
import com.securebase.billing.domain.ChargeModel;
import com.securebase.billing.domain.Metric;
import com.securebase.billing.domain.PriceBook;
import com.securebase.events.EventJson;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metric definitions and price books, which are platform data in the database. Price book versions
 * never change once written, so each is read once; the metric set is re-read at most once a minute
 * so that a metric added by SQL is known without a restart.
 */
@ApplicationScoped
public class Catalogue {
  private static final long METRICS_TTL_NANOS = 60_000_000_000L;
  private static final long MISS_REREAD_NANOS = 1_000_000_000L;

  @Inject Pool pool;

  private final Map<UUID, PriceBook> books = new ConcurrentHashMap<>();
  private volatile Map<String, Metric> metrics;
  private volatile long metricsReadAt;

  public Uni<Map<String, Metric>> metrics() {
    Map<String, Metric> cached = metrics;
    if (cached != null && System.nanoTime() - metricsReadAt < METRICS_TTL_NANOS) {
      return Uni.createFrom().item(cached);
    }
    return readMetrics();
  }

  /**
   * The metric set, read again first when it lacks one of {@code codes} (at most once a second), so
   * a metric added by SQL is accepted at once rather than after the cache's minute.
   */
  public Uni<Map<String, Metric>> metricsIncluding(Collection<String> codes) {
    return metrics()
        .chain(
            known ->
                known.keySet().containsAll(codes)
                        || System.nanoTime() - metricsReadAt < MISS_REREAD_NANOS
                    ? Uni.createFrom().item(known)
                    : readMetrics());
  }

  private Uni<Map<String, Metric>> readMetrics() {
    return pool.query(
            "select code, name, aggregation, unique_field, unit from billable_metric order by code")
        .execute()
        .map(
            rows -> {
              Map<String, Metric> read = new LinkedHashMap<>();
              for (Row r : rows) {
                read.put(
                    r.getString(0),
                    new Metric(
                        r.getString(0),
                        r.getString(1),
                        Aggregation.of(r.getString(2)),
                        r.getString(3),
                        r.getString(4)));
              }
              metrics = Collections.unmodifiableMap(read);
              metricsReadAt = System.nanoTime();
              return metrics;
            });
  }

  /**
   * Every tier's price book in force at {@code at}: which versions apply is asked each time (one
   * small query, so a version added by SQL counts at once); the versions themselves are cached.
   */
  public Uni<Map<String, PriceBook>> inForce(SqlClient sql, Instant at) {
    return sql.preparedQuery(
            "select distinct on (tier) id from price_book where effective_from <= $1"
                + " order by tier, version desc")
        .execute(Tuple.of(at.atOffset(ZoneOffset.UTC)))
        .onItem()
        .transformToMulti(rows -> Multi.createFrom().iterable(rows))
        .onItem()
        .transformToUniAndConcatenate(r -> book(sql, r.getUUID(0)))
        .collect()
        .asMap(PriceBook::tier);
  }

  public Uni<PriceBook> book(SqlClient sql, UUID id) {
    PriceBook cached = books.get(id);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return sql.preparedQuery(
            "select b.tier, b.version, b.currency, b.base_fee, c.metric_code, c.model,"
                + " c.properties::text from price_book b left join price_charge c on"
                + " c.price_book_id = b.id where b.id = $1 order by c.metric_code")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              Map<String, Charge> charges = new LinkedHashMap<>();
              Row first = null;
              for (Row r : rows) {
                first = first == null ? r : first;
                if (r.getString(4) != null) {
                  charges.put(
                      r.getString(4),
                      Charge.of(
                          r.getString(4),
                          ChargeModel.of(r.getString(5)),
                          EventJson.tree(r.getString(6).getBytes(StandardCharsets.UTF_8))));
                }
              }
              if (first == null) {
                throw new IllegalStateException("No price book " + id);
              }
              PriceBook book =
                  new PriceBook(
                      id,
                      first.getString(0),
                      first.getInteger(1),
                      first.getString(2),
                      first.getBigDecimal(3),
                      Collections.unmodifiableMap(charges));
              books.put(id, book);
              return book;
            });
  }
}

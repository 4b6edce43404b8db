package com.securebase.analytics.persistence;

import com.securebase.analytics.domain.MetricPoint;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stores points wherever they come from (the API, events): makes sure their months' partitions
 * exist (each in a short transaction of its own, as creating one locks the table), then inserts
 * them and, in the caller's transaction, drops the cached answers they change and gathers them for
 * the next live update.
 */
@ApplicationScoped
public class PointIntake {
  private final Set<LocalDate> partitions = ConcurrentHashMap.newKeySet();

  @Inject TenantConnections connections;

  /** Creates the partitions of {@code months} that this process has not seen yet. */
  public Uni<Void> ensurePartitions(Set<LocalDate> months) {
    Set<LocalDate> missing = new TreeSet<>(months);
    missing.removeAll(partitions);
    if (missing.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Multi.createFrom()
        .iterable(missing)
        .onItem()
        .transformToUniAndConcatenate(
            month ->
                connections
                    .asSystem(c -> PointStore.ensurePartition(c, month))
                    .invoke(() -> partitions.add(month)))
        .collect()
        .last()
        .replaceWithVoid();
  }

  /** Forgets what it knows of partitions (after retention dropped some). */
  public void forgetPartitions() {
    partitions.clear();
  }

  /**
   * Inserts in the caller's transaction; the partitions must exist ({@link #ensurePartitions}).
   *
   * @return the points stored now for the first time
   */
  public Uni<List<MetricPoint.Key>> store(
      SqlConnection c, UUID tenant, List<MetricPoint> points, Instant now) {
    return PointStore.insert(c, tenant, points, now)
        .call(
            stored -> {
              if (stored.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              Set<String> metrics = new TreeSet<>();
              Set<MetricPoint.Key> fresh = new java.util.HashSet<>(stored);
              Instant first = null;
              Instant last = null;
              for (MetricPoint p : points) {
                if (fresh.contains(p.key())) {
                  metrics.add(p.metric());
                  first = first == null || p.timestamp().isBefore(first) ? p.timestamp() : first;
                  last = last == null || p.timestamp().isAfter(last) ? p.timestamp() : last;
                }
              }
              String[] names = metrics.toArray(String[]::new);
              Instant from = first;
              Instant to = last;
              return QueryCache.invalidate(c, tenant, names, from, to)
                  .chain(() -> NoticeStore.gather(c, tenant, names, from, to, stored.size()));
            });
  }
}

package com.securebase.billing.domain;

import com.securebase.billing.domain.UsageRecord.Parsed;
import com.securebase.billing.domain.UsageRecord.Rejection;
import com.securebase.billing.messaging.BillingEvents;
import com.securebase.billing.persistence.Catalogue;
import com.securebase.billing.persistence.UsageStore;
import com.securebase.tenancy.TenantConnections;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Takes a tenant's usage records, from the API or the usage topic, idempotently on the transaction
 * id: a new record is stored, a repeat of a stored one (same payload) is a duplicate and ignored, a
 * different payload under a stored id is a conflict. Records of a closed period (its invoice is
 * finalized) are refused, under a share lock that the finalize waits for, so none slips in after.
 */
@ApplicationScoped
public class UsageIntake {
  /** The most records one call takes (the API documents it). */
  public static final int MAX_BATCH = 500;

  @Inject TenantConnections connections;
  @Inject Catalogue catalogue;
  @Inject UsageThresholds thresholds;
  @Inject BillingEvents events;
  @Inject Clock clock;
  @Inject MeterRegistry meters;

  public enum Outcome {
    ACCEPTED,
    DUPLICATE,
    REJECTED;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One record's answer, in the order the records came. */
  public record Result(int index, String transactionId, Outcome outcome, Rejection rejection) {}

  public Uni<List<Result>> ingest(UUID tenant, List<Parsed> parsed) {
    Instant now = clock.instant();
    Set<String> named = new TreeSet<>();
    for (Parsed p : parsed) {
      if (p.record() != null) {
        named.add(p.record().metricCode());
      }
    }
    return catalogue
        .metricsIncluding(named)
        .chain(
            metrics -> {
              Result[] results = new Result[parsed.size()];
              // The first record of each transaction id goes to the database; later ones in the
              // same batch are judged against it.
              Map<String, Integer> firstIndex = new LinkedHashMap<>();
              List<Integer> repeats = new ArrayList<>();
              for (int i = 0; i < parsed.size(); i++) {
                Parsed p = parsed.get(i);
                if (p.rejection() != null) {
                  results[i] = new Result(i, p.transactionId(), Outcome.REJECTED, p.rejection());
                } else if (!metrics.containsKey(p.record().metricCode())) {
                  results[i] =
                      rejected(
                          i,
                          p.transactionId(),
                          new Rejection(
                              422,
                              "unknown-metric",
                              "metricCode",
                              "'" + p.record().metricCode() + "' is not a billable metric"));
                } else if (firstIndex.containsKey(p.transactionId())) {
                  repeats.add(i);
                } else {
                  firstIndex.put(p.transactionId(), i);
                }
              }
              if (firstIndex.isEmpty()) {
                return Uni.createFrom().item(finish(results, parsed, repeats, firstIndex));
              }
              return connections
                  .inTenant(tenant, sql -> store(sql, tenant, parsed, firstIndex, results, now))
                  .invoke(events::wakeRelay)
                  .map(ignored -> finish(results, parsed, repeats, firstIndex));
            })
        .invoke(this::count);
  }

  private Uni<Void> store(
      SqlConnection sql,
      UUID tenant,
      List<Parsed> parsed,
      Map<String, Integer> firstIndex,
      Result[] results,
      Instant now) {
    Set<Instant> periods = new TreeSet<>(); // sorted: every transaction locks in the same order
    for (int i : firstIndex.values()) {
      periods.add(BillingPeriod.containing(parsed.get(i).record().timestamp()).start());
    }
    return UsageStore.lockPeriods(sql, tenant, periods)
        .chain(
            closed -> {
              List<UsageRecord> fresh = new ArrayList<>();
              for (int i : firstIndex.values()) {
                UsageRecord r = parsed.get(i).record();
                BillingPeriod period = BillingPeriod.containing(r.timestamp());
                if (closed.contains(period.start())) {
                  results[i] =
                      rejected(
                          i,
                          r.transactionId(),
                          new Rejection(
                              422,
                              "period-closed",
                              "timestamp",
                              "falls in " + period + ", whose invoice is finalized"));
                } else {
                  fresh.add(r);
                }
              }
              if (fresh.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              return UsageStore.insert(sql, tenant, fresh, now)
                  .chain(
                      inserted -> {
                        Set<String> existing = new TreeSet<>();
                        for (UsageRecord r : fresh) {
                          int i = firstIndex.get(r.transactionId());
                          if (inserted.contains(r.transactionId())) {
                            results[i] = new Result(i, r.transactionId(), Outcome.ACCEPTED, null);
                          } else {
                            existing.add(r.transactionId());
                          }
                        }
                        Uni<Void> judged =
                            existing.isEmpty()
                                ? Uni.createFrom().voidItem()
                                : UsageStore.storedHashes(sql, tenant, existing)
                                    .invoke(
                                        stored -> {
                                          for (String id : existing) {
                                            int i = firstIndex.get(id);
                                            results[i] =
                                                sameAs(parsed.get(i).record(), stored.get(id))
                                                    ? new Result(i, id, Outcome.DUPLICATE, null)
                                                    : conflict(i, id);
                                          }
                                        })
                                    .replaceWithVoid();
                        return judged.chain(
                            () ->
                                inserted.isEmpty()
                                    ? Uni.createFrom().voidItem()
                                    : thresholds.check(sql, tenant, fresh, inserted, now));
                      });
            });
  }

  private static List<Result> finish(
      Result[] results,
      List<Parsed> parsed,
      List<Integer> repeats,
      Map<String, Integer> firstIndex) {
    for (int i : repeats) {
      String id = parsed.get(i).transactionId();
      Result first = results[firstIndex.get(id)];
      boolean same =
          Arrays.equals(
              parsed.get(i).record().payloadHash(),
              parsed.get(firstIndex.get(id)).record().payloadHash());
      if (first.outcome() == Outcome.REJECTED && same) {
        results[i] = new Result(i, id, Outcome.REJECTED, first.rejection());
      } else {
        results[i] = same ? new Result(i, id, Outcome.DUPLICATE, null) : conflict(i, id);
      }
    }
    return List.of(results);
  }

  private static boolean sameAs(UsageRecord record, String storedHashHex) {
    return storedHashHex != null
        && storedHashHex.equals(HexFormat.of().formatHex(record.payloadHash()));
  }

  private static Result rejected(int index, String id, Rejection rejection) {
    return new Result(index, id, Outcome.REJECTED, rejection);
  }

  private static Result conflict(int index, String id) {
    return rejected(
        index,
        id,
        new Rejection(
            409,
            "transaction-id-conflict",
            "transactionId",
            "'" + id + "' was already recorded with a different payload"));
  }

  private void count(List<Result> results) {
    Map<String, Integer> byOutcome = new HashMap<>();
    for (Result r : results) {
      String key = r.rejection() == null ? r.outcome().code() : r.rejection().type();
      byOutcome.merge(key, 1, Integer::sum);
    }
    byOutcome.forEach(
        (outcome, n) ->
            meters.counter("securebase.billing.usage.records", "outcome", outcome).increment(n));
  }
}

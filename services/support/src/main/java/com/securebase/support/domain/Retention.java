package com.securebase.support.domain;

import com.securebase.support.messaging.SupportEvents;
import com.securebase.support.persistence.Ticket;
import com.securebase.tenancy.TenantTransactions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Purges tickets closed longer ago than the retention period, in batches (one transaction each, so
 * a long purge never holds locks for long), with an audit entry per purged ticket written in the
 * batch's transaction. Comments go with their ticket (ON DELETE CASCADE).
 */
@ApplicationScoped
public class Retention {
  @Inject TenantTransactions tx;
  @Inject SupportEvents events;

  @ConfigProperty(name = "securebase.support.retention.closed-after", defaultValue = "90d")
  Duration closedAfter;

  @ConfigProperty(name = "securebase.support.retention.batch-size", defaultValue = "500")
  int batchSize;

  /**
   * @return how many tickets were purged
   */
  public Uni<Integer> purge(Instant now) {
    return batch(now.minus(closedAfter))
        .chain(
            purged ->
                purged < batchSize
                    ? Uni.createFrom().item(purged)
                    : purge(now).map(more -> purged + more));
  }

  private Uni<Integer> batch(Instant cutoff) {
    return tx.asSystem(
        session ->
            Ticket.<Ticket>find(
                    "status = 'closed' and closedAt < ?1 order by closedAt",
                    cutoff.atOffset(ZoneOffset.UTC))
                .page(0, batchSize)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .list()
                .call(
                    doomed ->
                        doomed.isEmpty()
                            ? Uni.createFrom().voidItem()
                            // one session: outbox writes go one after another
                            : Multi.createFrom()
                                .iterable(doomed)
                                .onItem()
                                .transformToUniAndConcatenate(
                                    t -> events.purged(t, closedAfter.toString()))
                                .collect()
                                .last()
                                .replaceWithVoid())
                .call(
                    doomed ->
                        doomed.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : Ticket.delete("id in ?1", doomed.stream().map(t -> t.id).toList())
                                .replaceWithVoid())
                .map(java.util.List::size));
  }
}

package com.securebase.support.domain;

import com.securebase.support.messaging.SupportEvents;
import com.securebase.support.persistence.Ticket;
import com.securebase.tenancy.TenantTransactions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Marks tickets whose first-response deadline passed without a response and emits {@code
 * ticket.sla_breached} for each, in the same transaction. Cluster-safe: rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED} and re-checked ({@code sla_breached_at IS NULL}), so however many
 * sweeps run at once, each ticket is marked, and its event written, exactly once.
 */
@ApplicationScoped
public class SlaSweep {
  static final int BATCH = 500;

  @Inject TenantTransactions tx;
  @Inject SupportEvents events;

  /**
   * @return how many tickets were found in breach by this sweep
   */
  public Uni<Integer> run(Instant now) {
    return tx.asSystem(
        session ->
            session
                .createNativeQuery(
                    "update ticket set sla_breached_at = :now where id in ("
                        + " select id from ticket where responded_at is null"
                        + " and sla_breached_at is null and status in ('open', 'in_progress')"
                        + " and first_response_due_at < :now order by first_response_due_at"
                        + " limit "
                        + BATCH
                        + " for update skip locked) returning id",
                    UUID.class)
                .setParameter("now", now.atOffset(ZoneOffset.UTC))
                .getResultList()
                .chain(
                    ids ->
                        ids.isEmpty()
                            ? Uni.createFrom().item(List.<Ticket>of())
                            : Ticket.<Ticket>list("id in ?1", ids))
                .call(
                    breached ->
                        breached.isEmpty()
                            ? Uni.createFrom().voidItem()
                            // one session: outbox writes go one after another
                            : Multi.createFrom()
                                .iterable(breached)
                                .onItem()
                                .transformToUniAndConcatenate(t -> events.slaBreached(t, now))
                                .collect()
                                .last()
                                .replaceWithVoid())
                .map(List::size));
  }
}

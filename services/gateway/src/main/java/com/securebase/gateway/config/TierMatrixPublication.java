package com.securebase.gateway.config;

import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.gateway.domain.Tier;
import com.securebase.gateway.domain.TierFeatures;
import com.securebase.messaging.Outbox;
import com.securebase.tenancy.TenantTransactions;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Publishes the tier feature matrix ({@code tier.features_published}, platform-scoped, on a
 * compacted topic) at start-up whenever the matrix in the code differs from the last one published,
 * with the next version number. Replicas starting together publish once: the version is the primary
 * key, and the loser's transaction (with its outbox row) rolls back.
 */
@ApplicationScoped
public class TierMatrixPublication {
  private static final Logger LOG = Logger.getLogger(TierMatrixPublication.class);

  @Inject TenantTransactions tx;
  @Inject Outbox outbox;
  @Inject Vertx vertx;

  private final DomainEvents events = new DomainEvents("gateway");

  void publish(@Observes StartupEvent event) {
    Integer version = StartupContext.await(vertx, this::publishIfChanged);
    if (version != null) {
      LOG.infof("Published tier feature matrix version %d", version);
    }
  }

  /**
   * @return the new version, or null when the latest publication is already this matrix
   */
  public Uni<Integer> publishIfChanged() {
    Map<String, Object> tiers = new LinkedHashMap<>();
    for (Tier tier : Tier.values()) {
      tiers.put(tier.code(), TierFeatures.of(tier).asClaims());
    }
    String matrix = EventJson.MAPPER.valueToTree(tiers).toString();
    return tx.asSystem(
            session ->
                session
                    .createNativeQuery(
                        "select version, matrix = cast(cast(:m as text) as jsonb)"
                            + " from tier_matrix_publication order by version desc limit 1",
                        Object[].class)
                    .setParameter("m", matrix)
                    .getResultList()
                    .map(rows -> rows.isEmpty() ? new Object[] {0, false} : rows.get(0))
                    .chain(
                        latest -> {
                          if ((Boolean) latest[1]) {
                            return Uni.createFrom().nullItem();
                          }
                          int next = ((Number) latest[0]).intValue() + 1;
                          Map<String, Object> data = new LinkedHashMap<>();
                          data.put("tiers", tiers);
                          data.put("publishedAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
                          data.put("version", next);
                          return session
                              .createNativeQuery(
                                  "insert into tier_matrix_publication (version, matrix) values"
                                      + " (:v, cast(cast(:m as text) as jsonb))")
                              .setParameter("v", next)
                              .setParameter("m", matrix)
                              .executeUpdate()
                              .chain(
                                  () ->
                                      outbox.append(
                                          events.create(
                                              "securebase.gateway.tier.features_published",
                                              EventEnvelope.PLATFORM,
                                              "tier-matrix",
                                              data)))
                              .replaceWith(next);
                        }))
        .onFailure(TierMatrixPublication::alreadyPublished)
        .recoverWithNull();
  }

  /** Another replica published the same version first (primary key violation). */
  private static boolean alreadyPublished(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("tier_matrix_publication_pkey")) {
        return true;
      }
    }
    return false;
  }
}

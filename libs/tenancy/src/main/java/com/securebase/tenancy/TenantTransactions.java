package com.securebase.tenancy;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Runs work in a reactive transaction bound to one tenant: {@code securebase.tenant_id} is set with
 * {@code set_config(..., true)} (transaction-local) before the work, so Postgres row-level security
 * filters every statement even if the code forgets {@code tenant_id}. Panache repositories used
 * inside share the same session and transaction.
 */
@ApplicationScoped
public class TenantTransactions {

  public <T> Uni<T> inTenant(UUID tenantId, Function<Mutiny.Session, Uni<T>> work) {
    if (tenantId == null) {
      return Uni.createFrom().failure(new IllegalArgumentException("tenantId is required"));
    }
    return scoped("securebase.tenant_id", tenantId.toString(), work);
  }

  /**
   * Cross-tenant work (SLA sweeps, retention purges, platform-scoped events): RLS lets it see every
   * tenant. Never call this on a request path.
   */
  public <T> Uni<T> asSystem(Function<Mutiny.Session, Uni<T>> work) {
    return scoped("securebase.system_scope", "on", work);
  }

  private static <T> Uni<T> scoped(
      String setting, String value, Function<Mutiny.Session, Uni<T>> work) {
    return Panache.withTransaction(
        () ->
            Panache.getSession()
                .chain(
                    session ->
                        session
                            .createNativeQuery("select set_config(:setting, :value, true)")
                            .setParameter("setting", setting)
                            .setParameter("value", value)
                            .getSingleResult()
                            .chain(ignored -> work.apply(session))));
  }
}

package com.securebase.gateway.config;

import com.securebase.gateway.domain.ApiKeySecret;
import com.securebase.gateway.domain.Tier;
import com.securebase.gateway.persistence.ApiKey;
import com.securebase.gateway.persistence.Tenant;
import com.securebase.tenancy.TenantTransactions;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * For {@code make run} only ({@code securebase.demo.seed=true}): a "Demo" tenant (created once) and
 * a fresh owner-scoped API key per start, written to the run directory so the launcher can print
 * it. Off in tests and production.
 */
@ApplicationScoped
public class DemoSeed {
  private static final Logger LOG = Logger.getLogger(DemoSeed.class);

  /** Fixed, so restarts find the same demo tenant. */
  public static final UUID DEMO_TENANT = UUID.fromString("00000000-0000-4000-8000-00000000de70");

  @ConfigProperty(name = "securebase.demo.seed", defaultValue = "false")
  boolean enabled;

  @ConfigProperty(name = "securebase.run-dir")
  Optional<String> runDir;

  @Inject TenantTransactions tx;
  @Inject Vertx vertx;

  void seed(@Observes StartupEvent event) {
    if (!enabled) {
      return;
    }
    ApiKeySecret secret = ApiKeySecret.generate();
    StartupContext.await(vertx, () -> seed(secret));
    LOG.infof("Demo tenant %s; demo API key %s", DEMO_TENANT, secret.value());
    runDir.ifPresent(
        dir -> {
          try {
            Files.createDirectories(Path.of(dir));
            Files.writeString(Path.of(dir, "demo-api-key"), secret.value());
          } catch (IOException e) {
            LOG.warn("Cannot write the demo API key file", e);
          }
        });
  }

  private Uni<Void> seed(ApiKeySecret secret) {
    return tx.inTenant(
        DEMO_TENANT,
        s ->
            Tenant.<Tenant>findById(DEMO_TENANT)
                .chain(
                    existing ->
                        existing != null ? Uni.createFrom().item(existing) : demoTenant().persist())
                .chain(
                    t -> {
                      ApiKey key = new ApiKey();
                      key.id = UUID.randomUUID();
                      key.tenantId = DEMO_TENANT;
                      key.name = "demo (make run)";
                      key.secretHash = secret.sha256();
                      key.prefix = secret.displayPrefix();
                      key.last4 = secret.last4();
                      key.scopes = "owner";
                      key.createdBy = "make-run";
                      key.createdAt = OffsetDateTime.now();
                      return key.persist();
                    })
                .replaceWithVoid());
  }

  private static Tenant demoTenant() {
    Tenant t = Tenant.create(DEMO_TENANT, "Demo", Tier.FINTECH.code());
    t.displayName = "Demo Corp";
    t.primaryColor = "#0B5FFF";
    return t;
  }
}

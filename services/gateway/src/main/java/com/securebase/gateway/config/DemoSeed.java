package com.securebase.gateway.config;

import com.securebase.gateway.domain.ApiKeySecret;
import com.securebase.gateway.domain.SecretToken;
import com.securebase.gateway.domain.Tier;
import com.securebase.gateway.messaging.GatewayEvents;
import com.securebase.gateway.persistence.ApiKey;
import com.securebase.gateway.persistence.Tenant;
import com.securebase.gateway.persistence.UserAccount;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.tenancy.TenantTransactions;
import io.quarkus.elytron.security.common.BcryptUtil;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * For {@code make run} only ({@code securebase.demo.seed=true}): a "Demo" tenant (created once),
 * its owner {@value #OWNER_EMAIL} with a fresh password per start, and a fresh owner-scoped API key
 * per start, both written to the run directory so the launcher can print them. Off in tests and
 * production.
 */
@ApplicationScoped
public class DemoSeed {
  private static final Logger LOG = Logger.getLogger(DemoSeed.class);

  /** Fixed, so restarts find the same demo tenant. */
  public static final UUID DEMO_TENANT = UUID.fromString("00000000-0000-4000-8000-00000000de70");

  public static final String OWNER_EMAIL = "owner@demo.example.com";

  @ConfigProperty(name = "securebase.demo.seed", defaultValue = "false")
  boolean enabled;

  /** The benchmark seeds a government-tier tenant for its larger hourly request budget. */
  @ConfigProperty(name = "securebase.demo.tier", defaultValue = "fintech")
  String tier;

  @ConfigProperty(name = "securebase.run-dir")
  Optional<String> runDir;

  private static final Actor SEED = Actor.system("demo-seed");

  @Inject TenantTransactions tx;
  @Inject GatewayEvents events;
  @Inject Vertx vertx;

  @ConfigProperty(name = "securebase.auth.bcrypt-cost", defaultValue = "12")
  int bcryptCost;

  void seed(@Observes StartupEvent event) {
    if (!enabled) {
      return;
    }
    ApiKeySecret secret = ApiKeySecret.generate();
    String password = SecretToken.generate("demo_").value();
    String passwordHash = BcryptUtil.bcryptHash(password, bcryptCost); // start-up thread, not I/O
    StartupContext.await(vertx, () -> seed(secret, passwordHash));
    LOG.infof(
        "Demo tenant %s; owner %s; demo API key %s", DEMO_TENANT, OWNER_EMAIL, secret.value());
    runDir.ifPresent(
        dir -> {
          try {
            Files.createDirectories(Path.of(dir));
            Files.writeString(Path.of(dir, "demo-api-key"), secret.value());
            Files.writeString(Path.of(dir, "demo-owner-password"), password);
          } catch (IOException e) {
            LOG.warn("Cannot write the demo credentials", e);
          }
        });
  }

  private Uni<Void> seed(ApiKeySecret secret, String passwordHash) {
    return tx.inTenant(
        DEMO_TENANT,
        s ->
            Tenant.<Tenant>findById(DEMO_TENANT)
                .chain(
                    existing -> {
                      if (existing != null) {
                        return Uni.createFrom().item(existing);
                      }
                      // Announced like any tenant, so billing and notifications know it.
                      Tenant t = demoTenant();
                      return t.<Tenant>persist()
                          .call(() -> events.tenant("created", t, List.of(), SEED));
                    })
                .chain(() -> owner(passwordHash))
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

  /** The demo owner, created on the first start; its password is replaced on every start. */
  private Uni<UserAccount> owner(String passwordHash) {
    return UserAccount.<UserAccount>find("email", OWNER_EMAIL)
        .firstResult()
        .chain(
            existing -> {
              boolean created = existing == null;
              UserAccount u =
                  existing != null
                      ? existing
                      : UserAccount.invite(
                          DEMO_TENANT, OWNER_EMAIL, "Demo Owner", Set.of("owner"), null);
              u.status = UserAccount.ACTIVE;
              u.passwordHash = passwordHash;
              u.inviteHash = null;
              u.failedLogins = 0;
              u.lockedUntil = null;
              u.activatedAt = u.activatedAt == null ? OffsetDateTime.now() : u.activatedAt;
              return created
                  ? u.<UserAccount>persist().call(() -> events.user("activated", u, null, SEED))
                  : u.persist();
            });
  }

  private Tenant demoTenant() {
    Tenant t = Tenant.create(DEMO_TENANT, "Demo", Tier.fromCode(tier).code());
    t.displayName = "Demo Corp";
    t.primaryColor = "#0B5FFF";
    return t;
  }
}

package com.securebase.notifications.domain;

import com.securebase.messaging.AuditTrail;
import com.securebase.problem.ProblemException;
import com.securebase.problem.RequestParams;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.TenantTransactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Channel preferences per user, per notification type, per channel. A user's own choice wins over
 * the tenant's default, which wins over the built-in default ({@link
 * NotificationRules#builtInDefault}). Critical notifications ignore all of them.
 */
@ApplicationScoped
public class Preferences {
  @Inject TenantTransactions tx;
  @Inject AuditTrail audit;
  @Inject Clock clock;

  /** Where an effective setting comes from. */
  public enum Source {
    USER,
    TENANT,
    DEFAULT;

    @com.fasterxml.jackson.annotation.JsonValue
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public record Setting(boolean enabled, Source source) {}

  /** A change: {@code null} for a cell removes the choice (back to the next level). */
  public record Change(NotificationType type, Channel channel, Boolean enabled) {}

  /**
   * The channels a user wants for {@code type}, before the critical override: their own choices for
   * it, else the tenant's defaults ({@code type.channel}), else the built-in ones.
   */
  public static Set<Channel> wanted(
      NotificationType type, Map<Channel, Boolean> own, Map<String, Boolean> tenantDefaults) {
    Set<Channel> on = java.util.EnumSet.noneOf(Channel.class);
    for (Channel channel : Channel.values()) {
      if (effective(own.get(channel), tenantDefaults.get(key(type, channel)), type, channel)
          .enabled()) {
        on.add(channel);
      }
    }
    return on;
  }

  /** The caller's effective preferences for every type and channel. */
  public Uni<Map<NotificationType, Map<Channel, Setting>>> ofUser(Caller caller) {
    UUID user = Inbox.userId(caller);
    return tx.inTenant(caller.tenantId(), session -> userMatrix(session, caller.tenantId(), user));
  }

  public Uni<Map<NotificationType, Map<Channel, Setting>>> changeForUser(
      Caller caller, List<Change> changes) {
    UUID user = Inbox.userId(caller);
    UUID tenant = caller.tenantId();
    OffsetDateTime now = now();
    return tx.inTenant(
        tenant,
        session -> {
          Uni<Void> chain = Uni.createFrom().voidItem();
          for (Change c : changes) {
            chain =
                chain.chain(
                    () ->
                        (c.enabled() == null
                                ? session.createNativeQuery(
                                    "delete from preference where tenant_id = :tenant and"
                                        + " user_id = :user and type = :type and channel = :channel")
                                : session
                                    .createNativeQuery(
                                        "insert into preference (tenant_id, user_id, type, channel,"
                                            + " enabled, updated_at) values (:tenant, :user, :type,"
                                            + " :channel, :enabled, :now) on conflict (tenant_id,"
                                            + " user_id, type, channel) do update set enabled ="
                                            + " excluded.enabled, updated_at = excluded.updated_at")
                                    .setParameter("enabled", c.enabled())
                                    .setParameter("now", now))
                            .setParameter("tenant", tenant)
                            .setParameter("user", user)
                            .setParameter("type", c.type().code())
                            .setParameter("channel", c.channel().code())
                            .executeUpdate()
                            .replaceWithVoid());
          }
          return chain.chain(() -> userMatrix(session, tenant, user));
        });
  }

  /** The tenant's defaults (what a user who never chose gets). */
  public Uni<Map<NotificationType, Map<Channel, Setting>>> defaults(Caller caller) {
    return tx.inTenant(
        caller.tenantId(),
        session ->
            tenantDefaults(session, caller.tenantId()).map(defaults -> matrix(defaults, Map.of())));
  }

  /** Changes the tenant's defaults; audited, as every tenant channel setting is. */
  public Uni<Map<NotificationType, Map<Channel, Setting>>> changeDefaults(
      Caller caller, List<Change> changes) {
    UUID tenant = caller.tenantId();
    OffsetDateTime now = now();
    return tx.inTenant(
        tenant,
        session -> {
          Uni<Void> chain = Uni.createFrom().voidItem();
          for (Change c : changes) {
            chain =
                chain.chain(
                    () ->
                        (c.enabled() == null
                                ? session.createNativeQuery(
                                    "delete from preference_default where tenant_id = :tenant and"
                                        + " type = :type and channel = :channel")
                                : session
                                    .createNativeQuery(
                                        "insert into preference_default (tenant_id, type, channel,"
                                            + " enabled, updated_at) values (:tenant, :type,"
                                            + " :channel, :enabled, :now) on conflict (tenant_id,"
                                            + " type, channel) do update set enabled ="
                                            + " excluded.enabled, updated_at = excluded.updated_at")
                                    .setParameter("enabled", c.enabled())
                                    .setParameter("now", now))
                            .setParameter("tenant", tenant)
                            .setParameter("type", c.type().code())
                            .setParameter("channel", c.channel().code())
                            .executeUpdate()
                            .replaceWithVoid());
          }
          List<String> changed = new ArrayList<>();
          changes.forEach(
              c -> changed.add(c.type().code() + "." + c.channel().code() + "=" + c.enabled()));
          return chain
              .chain(
                  () ->
                      audit.record(
                          tenant.toString(),
                          AuditTrail.Actor.of(caller),
                          "notification_defaults.changed",
                          "tenant",
                          tenant.toString(),
                          true,
                          null,
                          Map.of("changes", changed)))
              .chain(() -> tenantDefaults(session, tenant))
              .map(defaults -> matrix(defaults, Map.of()));
        });
  }

  private Uni<Map<NotificationType, Map<Channel, Setting>>> userMatrix(
      Mutiny.Session session, UUID tenant, UUID user) {
    return tenantDefaults(session, tenant)
        .chain(
            defaults ->
                session
                    .createNativeQuery(
                        "select type, channel, enabled from preference where tenant_id = :tenant"
                            + " and user_id = :user",
                        Object[].class)
                    .setParameter("tenant", tenant)
                    .setParameter("user", user)
                    .getResultList()
                    .map(rows -> matrix(defaults, byKey(rows))));
  }

  private static Uni<Map<String, Boolean>> tenantDefaults(Mutiny.Session session, UUID tenant) {
    return session
        .createNativeQuery(
            "select type, channel, enabled from preference_default where tenant_id = :tenant",
            Object[].class)
        .setParameter("tenant", tenant)
        .getResultList()
        .map(Preferences::byKey);
  }

  private static Map<String, Boolean> byKey(List<Object[]> rows) {
    Map<String, Boolean> byKey = new HashMap<>();
    for (Object[] r : rows) {
      byKey.put(r[0] + "." + r[1], (Boolean) r[2]);
    }
    return byKey;
  }

  private static String key(NotificationType type, Channel channel) {
    return type.code() + "." + channel.code();
  }

  private static Map<NotificationType, Map<Channel, Setting>> matrix(
      Map<String, Boolean> defaults, Map<String, Boolean> own) {
    Map<NotificationType, Map<Channel, Setting>> matrix = new LinkedHashMap<>();
    for (NotificationType type : NotificationType.values()) {
      Map<Channel, Setting> row = new LinkedHashMap<>();
      for (Channel channel : Channel.values()) {
        row.put(
            channel,
            effective(
                own.get(key(type, channel)), defaults.get(key(type, channel)), type, channel));
      }
      matrix.put(type, row);
    }
    return matrix;
  }

  private static Setting effective(
      Boolean own, Boolean tenantDefault, NotificationType type, Channel channel) {
    if (own != null) {
      return new Setting(own, Source.USER);
    }
    if (tenantDefault != null) {
      return new Setting(tenantDefault, Source.TENANT);
    }
    return new Setting(NotificationRules.builtInDefault(type, channel), Source.DEFAULT);
  }

  /** Parses a request's {@code {type: {channel: true|false|null}}}; unknown names are a 400. */
  public static List<Change> parse(Map<String, Map<String, Boolean>> requested) {
    if (requested == null) {
      throw ProblemException.invalidField("preferences", "must not be null");
    }
    List<Change> changes = new ArrayList<>();
    for (var byType : requested.entrySet()) {
      NotificationType type =
          RequestParams.oneOf(
              "preferences." + byType.getKey(), byType.getKey(), NotificationType.class);
      if (byType.getValue() == null) {
        throw ProblemException.invalidField(
            "preferences." + byType.getKey(), "must be an object of channels");
      }
      for (var byChannel : byType.getValue().entrySet()) {
        Channel channel =
            RequestParams.oneOf(
                "preferences." + byType.getKey() + "." + byChannel.getKey(),
                byChannel.getKey(),
                Channel.class);
        changes.add(new Change(type, channel, byChannel.getValue()));
      }
    }
    return changes;
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}

package com.securebase.notifications.persistence;

import com.securebase.notifications.domain.Channel;
import com.securebase.notifications.domain.NotificationType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the intake needs to address one event's notifications: who may receive them, what the
 * directory knows of each, their own channel choices, the tenant's defaults and whether it has
 * Slack. Three statements sent in one flight, for any number of recipients.
 */
public record Addressing(
    List<Candidate> candidates, Map<String, Boolean> tenantDefaults, boolean slackConfigured) {

  /**
   * A user the event names, or an active holder of one of its roles ({@code byRole}); {@code
   * status} is null for a user the directory never heard of (they still get in-app notifications).
   * {@code ownChoices} are their choices for the event's type (channels they set on or off).
   */
  public record Candidate(
      UUID userId,
      boolean byRole,
      String email,
      String displayName,
      String status,
      Map<Channel, Boolean> ownChoices) {
    /** The gateway removed the user from the tenant: nothing more reaches them. */
    public boolean removed() {
      return "removed".equals(status);
    }

    /** The directory has them, so they can be emailed. */
    public boolean known() {
      return status != null && !removed();
    }
  }

  // Ordered by user id, so users reached by role are notified in a stable order.
  private static final String CANDIDATES =
      "select c.user_id, bool_or(not c.named), r.email, r.display_name, r.status,"
          + " (select jsonb_object_agg(p.channel, p.enabled) from preference p"
          + " where p.tenant_id = $1 and p.user_id = c.user_id and p.type = $4)"
          + " from (select unnest($2::uuid[]) as user_id, true as named"
          + " union all select user_id, false from recipient where tenant_id = $1"
          + " and status = 'active' and roles && $3::text[]) c"
          + " left join recipient r on r.tenant_id = $1 and r.user_id = c.user_id"
          + " group by c.user_id, r.email, r.display_name, r.status order by c.user_id";
  private static final String DEFAULTS =
      "select type || '.' || channel, enabled from preference_default where tenant_id = $1";
  private static final String SLACK =
      "select slack_webhook_url is not null from tenant_settings where tenant_id = $1";

  public static Uni<Addressing> read(
      SqlClient client,
      UUID tenant,
      Collection<UUID> named,
      Set<String> roles,
      NotificationType type) {
    return Uni.combine()
        .all()
        .unis(
            client
                .preparedQuery(CANDIDATES)
                .execute(
                    Tuple.of(
                        tenant,
                        named.toArray(UUID[]::new),
                        roles.toArray(String[]::new),
                        type.code())),
            client.preparedQuery(DEFAULTS).execute(Tuple.of(tenant)),
            client.preparedQuery(SLACK).execute(Tuple.of(tenant)))
        .with(
            (candidateRows, defaultRows, slackRows) -> {
              List<Candidate> candidates = new ArrayList<>();
              for (Row r : candidateRows) {
                Map<Channel, Boolean> own = new EnumMap<>(Channel.class);
                JsonObject chosen = r.getJsonObject(5);
                if (chosen != null) {
                  chosen.forEach(
                      c -> own.put(Channel.fromCode(c.getKey()), (Boolean) c.getValue()));
                }
                candidates.add(
                    new Candidate(
                        r.getUUID(0),
                        r.getBoolean(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        own));
              }
              Map<String, Boolean> defaults = new HashMap<>();
              for (Row r : defaultRows) {
                defaults.put(r.getString(0), r.getBoolean(1));
              }
              boolean slack =
                  slackRows.iterator().hasNext() && slackRows.iterator().next().getBoolean(0);
              return new Addressing(candidates, defaults, slack);
            });
  }
}

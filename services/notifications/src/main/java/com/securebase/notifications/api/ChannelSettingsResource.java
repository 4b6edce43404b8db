package com.securebase.notifications.api;

import com.securebase.messaging.AuditTrail;
import com.securebase.notifications.api.NotificationViews.ChannelSettings;
import com.securebase.notifications.api.NotificationViews.ChannelSettingsView;
import com.securebase.notifications.persistence.TenantSettings;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantTransactions;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The tenant's channel settings (owners and admins): the Slack incoming webhook. The URL is a
 * secret (anyone holding it can post to the channel), so it is never answered back in full, and it
 * must be a Slack webhook URL so our sends cannot be aimed at internal hosts. Changes are audited.
 */
@Path("/v1/notifications/settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN})
public class ChannelSettingsResource {
  @Inject CurrentCaller caller;
  @Inject TenantTransactions tx;
  @Inject AuditTrail audit;
  @Inject Clock clock;

  @ConfigProperty(name = "securebase.notifications.slack.allowed-url")
  Pattern allowedSlackUrl;

  @GET
  public Uni<ChannelSettingsView> get() {
    Caller who = caller.get();
    return tx.inTenant(
        who.tenantId(),
        s -> TenantSettings.<TenantSettings>findById(who.tenantId()).map(this::view));
  }

  @PUT
  public Uni<ChannelSettingsView> change(@NotNull @Valid ChannelSettings body) {
    Caller who = caller.get();
    boolean remove = Boolean.TRUE.equals(body.removeSlackWebhook());
    if (remove == (body.slackWebhookUrl() != null)) {
      throw ProblemException.invalidField(
          "slackWebhookUrl", "give either slackWebhookUrl or removeSlackWebhook: true");
    }
    if (!remove && !allowedSlackUrl.matcher(body.slackWebhookUrl()).matches()) {
      throw ProblemException.invalidField(
          "slackWebhookUrl", "must be a Slack incoming webhook URL (https://hooks.slack.com/...)");
    }
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
    return tx.inTenant(
        who.tenantId(),
        s ->
            TenantSettings.<TenantSettings>findById(who.tenantId())
                .chain(
                    found -> {
                      TenantSettings settings =
                          found != null ? found : TenantSettings.empty(who.tenantId(), now);
                      settings.slackWebhookUrl = remove ? null : body.slackWebhookUrl();
                      settings.updatedAt = now;
                      Uni<Void> saved =
                          found != null
                              ? Uni.createFrom().voidItem()
                              : settings.persist().replaceWithVoid();
                      return saved
                          .chain(
                              () ->
                                  audit.record(
                                      who.tenantId().toString(),
                                      AuditTrail.Actor.of(who),
                                      remove
                                          ? "notification_slack.removed"
                                          : "notification_slack.configured",
                                      "tenant",
                                      who.tenantId().toString(),
                                      true,
                                      null,
                                      Map.of()))
                          .replaceWith(settings);
                    })
                .map(this::view));
  }

  private ChannelSettingsView view(TenantSettings settings) {
    String url = settings == null ? null : settings.slackWebhookUrl;
    return new ChannelSettingsView(
        url != null, url == null ? null : url.substring(0, Math.min(url.length(), 28)) + "…");
  }
}

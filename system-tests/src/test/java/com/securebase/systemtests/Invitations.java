package com.securebase.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.infra.ServiceProcess;
import java.util.UUID;

/** A member added the way a customer adds one: invited through the gateway, then accepted. */
final class Invitations {
  private Invitations() {}

  /** Invites {@code email} with {@code role} as {@code inviter}; the invitee accepts. */
  static UUID inviteAndAccept(
      ServiceProcess gateway, ApiCaller inviter, String email, String role, String password)
      throws Exception {
    JsonNode invitation =
        inviter.call(
            "POST", "/v1/users", "{\"email\":\"" + email + "\",\"roles\":[\"" + role + "\"]}", 201);
    new ApiCaller(gateway, null)
        .call(
            "POST",
            "/v1/auth/invitations/accept",
            "{\"token\":\""
                + invitation.path("token").asText()
                + "\",\"password\":\""
                + password
                + "\"}",
            200);
    return UUID.fromString(invitation.path("user").path("id").asText());
  }
}

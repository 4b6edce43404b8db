package com.securebase.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.EventJson;
import com.securebase.infra.ServiceProcess;
import com.securebase.systemtests.OpenApiOperations.Operation;
import com.securebase.systemtests.OpenApiOperations.Param;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every operation of every service's served OpenAPI document, attacked the same way (issue 19): no
 * token, a tampered, an expired, an {@code alg: none} and a stranger-signed token, a token without
 * roles and one with a role the operation does not take, another tenant's token with this tenant's
 * ids, an unknown query parameter, and malformed, wrong-typed and oversized bodies. Each must be
 * refused with the right 4xx as problem+json, none may answer 5xx, and no answer to the other
 * tenant may carry this tenant's ids. The operations come from the documents, so a new endpoint is
 * probed without a case being added here. Routed operations go through the gateway as customers
 * call them; the few a service serves only to the cluster go to the service itself.
 */
class SecurityProbeIT {
  private static final String TIER = "government"; // the highest rate limit: the probe is busy
  private static final Pattern ROUTE_PREFIX =
      Pattern.compile("^securebase\\.gateway\\.routes\\.[a-z-]+\\.prefix=(\\S+)");

  /** A tenant's six roles (the JWT's groups). */
  private static final List<String> ROLES =
      List.of("owner", "admin", "billing", "analyst", "support", "viewer");

  private static final int OVERSIZED = 4 * 1024 * 1024 + 1; // above every service's body limit

  private final List<String> failures = new ArrayList<>();
  private final Map<String, int[]> tally = new TreeMap<>(); // service -> operations, cases
  private final Set<String> tenantAIds = new java.util.HashSet<>();
  private final Map<String, JsonNode> listings = new HashMap<>();

  private record Answer(int status, String contentType, String body) {
    boolean problem() {
      return contentType != null && contentType.startsWith("application/problem+json");
    }

    String slug() {
      JsonNode json = problem() ? EventJson.tree(body.getBytes(StandardCharsets.UTF_8)) : null;
      String type = json == null ? "" : json.path("type").asText();
      return type.substring(type.lastIndexOf('/') + 1);
    }
  }

  @Test
  void everyOperationRefusesWhatItMustAndNoneAnswers5xx() throws Exception {
    try (Platform platform = Platform.start(Platform.BEHIND_GATEWAY, Map.of())) {
      ServiceProcess gateway = platform.gateway();
      ForgedTokens forge = new ForgedTokens(platform.privateKey());
      // The operator's token: only the gateway could sign it, which the run's key stands in for.
      String operator = forge.issued(new UUID(0, 0), TIER, "platform_admin");
      UUID a = createTenant(gateway, operator, "Probe A");
      UUID b = createTenant(gateway, operator, "Probe B");
      String tokenA = apiKeyToken(gateway, forge.issued(a, TIER, "owner"));
      String tokenB = apiKeyToken(gateway, forge.issued(b, TIER, "owner"));
      tenantAIds.add(a.toString());
      // Tenants are not listed: the one id a tenant may see is its own.
      listed("/v1/tenants", "id", a.toString());
      createFixtures(gateway, forge, a, tokenA);

      List<String> prefixes = routePrefixes();
      List<Operation> operations = new ArrayList<>();
      for (Map.Entry<String, ServiceProcess> service : platform.services().entrySet()) {
        JsonNode doc =
            new ApiCaller(service.getValue(), null)
                .call("GET", "/q/openapi?format=json", null, 200);
        operations.addAll(OpenApiOperations.of(service.getKey(), doc));
      }
      assertThat(operations).as("operations in the OpenAPI documents").hasSizeGreaterThan(50);

      int realIds = 0;
      List<String> unknownOnly = new ArrayList<>();
      for (Operation op : operations) {
        ServiceProcess target =
            "gateway".equals(op.service())
                    || prefixes.stream().anyMatch(p -> op.path().startsWith(p))
                ? gateway
                : platform.service(op.service());
        Resolved path = resolve(target, op, tokenA);
        if (path.fromTenantA()) {
          realIds++;
        } else if (!op.pathParams().isEmpty()) {
          unknownOnly.add(op.toString());
        }
        probe(target, op, path, forge, tokenA, tokenB, b);
      }

      System.out.printf(
          "Security probe: %d operations (%d role-restricted, %d with path ids, %d of them filled"
              + " with tenant A's real ids), %d cases%n",
          operations.size(),
          operations.stream().filter(o -> !o.roles().isEmpty()).count(),
          operations.stream().filter(o -> !o.pathParams().isEmpty()).count(),
          realIds,
          tally.values().stream().mapToInt(t -> t[1]).sum());
      tally.forEach(
          (service, t) ->
              System.out.printf("  %-14s %3d operations %5d cases%n", service, t[0], t[1]));
      System.out.println("  with unknown ids only (tenant A has none listed): " + unknownOnly);
      assertThat(failures).as("probe failures").isEmpty();
    }
  }

  /** A path filled in for tenant A, and the same path with unknown ids. */
  private record Resolved(String own, String unknown, boolean fromTenantA) {}

  private void probe(
      ServiceProcess target,
      Operation op,
      Resolved path,
      ForgedTokens forge,
      String tokenA,
      String tokenB,
      UUID b)
      throws Exception {
    tally.computeIfAbsent(op.service(), s -> new int[2])[0]++;
    String own = path.own();
    if (op.secured()) {
      expect(op, "no token", call(target, op, own, null, null), 401);
      expect(
          op,
          "tampered token",
          call(target, op, own, forge.tampered(tokenA, c -> c.put("tenant", b.toString())), null),
          401);
      expect(op, "alg none", call(target, op, own, forge.unsigned(tokenA), null), 401);
      expect(op, "expired token", call(target, op, own, forge.expired(tokenA, 600), null), 401);
      expect(
          op,
          "stranger's signature",
          call(target, op, own, forge.signedByStranger(tokenA), null),
          401);
    } else {
      expect(op, "no token", call(target, op, own, null, null));
    }
    if (!op.roles().isEmpty()) {
      expect(
          op,
          "no roles",
          call(target, op, own, forge.resigned(tokenA, c -> c.putArray("groups")), null),
          403);
      ROLES.stream()
          .filter(role -> !op.roles().contains(role))
          .sorted()
          .findFirst()
          .ifPresent(
              role -> {
                try {
                  expect(
                      op,
                      "role " + role,
                      call(
                          target,
                          op,
                          own,
                          forge.resigned(tokenA, c -> c.putArray("groups").add(role)),
                          null),
                      403);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
    }

    // Another tenant's owner, with this tenant's ids: the same answer as for ids that do not exist.
    String someBody = op.body() == null ? null : "{}";
    Answer foreign = expect(op, "other tenant", call(target, op, own, tokenB, someBody));
    if (!op.pathParams().isEmpty()) {
      Answer unknown = call(target, op, path.unknown(), tokenB, someBody);
      if (foreign.status() != unknown.status()) {
        fail(op, "other tenant", foreign, "answers " + unknown.status() + " for unknown ids");
      }
      boolean idParams = op.pathParams().stream().anyMatch(Param::uuid);
      if (idParams
          && (foreign.status() < 400 || ("GET".equals(op.method()) && foreign.status() != 404))) {
        fail(op, "other tenant", foreign, "expected 404");
      }
    }
    for (String id : tenantAIds) {
      // A refusal may repeat what the request named; anything else of tenant A's is a leak.
      if (!own.contains(id) && foreign.body().contains(id)) {
        fail(op, "other tenant", foreign, "leaks tenant A's id " + id);
      }
    }

    // Tenant A's caller with every role the operation takes: refusals past authorization.
    String capable =
        forge.resigned(
            tokenA,
            c -> {
              ArrayNode groups = c.putArray("groups");
              ROLES.forEach(groups::add);
              op.roles().stream().filter(r -> !ROLES.contains(r)).forEach(groups::add);
            });
    String sep = own.contains("?") ? "&" : "?";
    Answer unknownParam =
        expect(
            op,
            "unknown query parameter",
            call(target, op, own + sep + "probe_unknown=1", op.secured() ? capable : null, null),
            400);
    if (unknownParam.status() == 400 && !"unknown-parameter".equals(unknownParam.slug())) {
      fail(op, "unknown query parameter", unknownParam, "expected type unknown-parameter");
    }
    if (op.body() != null) {
      String caller = op.secured() ? capable : null;
      expect(op, "malformed JSON", call(target, op, own, caller, "{\"probe\": "), 400);
      expect(op, "wrong-typed body", call(target, op, own, caller, wrongTypes(op.body())), 400);
      expect(op, "top-level array", call(target, op, own, caller, "[1, 2]"), 400);
      expect(op, "oversized body", oversized(target, op, own, caller), 413);
    }
  }

  /** Checks what every answer must be, and the status when one is given; answers the answer. */
  private Answer expect(Operation op, String probe, Answer answer, int... status) {
    tally.get(op.service())[1]++;
    if (answer.status() >= 500) {
      fail(op, probe, answer, "a server error");
    } else if (status.length > 0 && answer.status() != status[0]) {
      fail(op, probe, answer, "expected " + status[0]);
    } else if (answer.status() >= 400 && !answer.problem()) {
      fail(op, probe, answer, "a 4xx that is not application/problem+json");
    }
    return answer;
  }

  private void fail(Operation op, String probe, Answer answer, String why) {
    String body =
        answer.body().length() > 300 ? answer.body().substring(0, 300) + "…" : answer.body();
    failures.add(op + " [" + probe + "]: " + why + "; got " + answer.status() + " " + body);
  }

  /** Fills path parameters from the left with the first item tenant A's listing shows. */
  private Resolved resolve(ServiceProcess target, Operation op, String tokenA) throws Exception {
    String own = op.path();
    String unknown = op.path();
    boolean real = !op.pathParams().isEmpty();
    for (Param param : op.pathParams()) {
      String placeholder = "{" + param.name() + "}";
      String listing = own.substring(0, own.indexOf(placeholder) - 1);
      String value = firstItem(target, listing, param.name(), tokenA);
      // Only ids are swapped for unknown ones: a kind or a name is the same for every tenant.
      String stranger =
          param.uuid() ? UUID.randomUUID().toString() : value == null ? fallback(param) : value;
      if (value == null) {
        real = false;
        value = stranger;
      } else if (param.uuid()) {
        tenantAIds.add(value);
      }
      own = own.replace(placeholder, value);
      unknown = unknown.replace(placeholder, stranger);
    }
    return new Resolved(own, unknown, real);
  }

  private static String fallback(Param param) {
    return switch (param.schema().path("type").asText()) {
      case "integer", "number" -> "1";
      default -> "probe";
    };
  }

  private String firstItem(ServiceProcess target, String listing, String name, String tokenA)
      throws Exception {
    JsonNode listed = listings.get(listing);
    if (listed == null) {
      Answer answer = send(target, "GET", listing, tokenA, null);
      listed =
          answer.status() == 200
                  && answer.contentType() != null
                  && answer.contentType().contains("json")
              ? EventJson.tree(answer.body().getBytes(StandardCharsets.UTF_8))
              : EventJson.MAPPER.createObjectNode();
      listings.put(listing, listed);
    }
    JsonNode items = listed;
    if (!items.isArray()) {
      items = EventJson.MAPPER.createArrayNode();
      for (JsonNode field : listed) {
        if (field.isArray()) {
          items = field;
          break;
        }
      }
    }
    for (JsonNode item : items) {
      JsonNode value = item.has(name) ? item.path(name) : item.path("id");
      if (value.isValueNode() && !value.asText().isEmpty()) {
        return value.asText();
      }
    }
    return null;
  }

  private static Answer call(
      ServiceProcess target, Operation op, String path, String token, String body)
      throws Exception {
    return send(target, op.method(), path, token, op.body() == null ? null : body);
  }

  private static Answer send(
      ServiceProcess target, String method, String path, String token, String body)
      throws Exception {
    HttpResponse<byte[]> response = new ApiCaller(target, token).send(method, path, body, "*/*");
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null),
        new String(response.body(), StandardCharsets.UTF_8));
  }

  /**
   * A request declaring a body above the limit, over a plain socket: the answer must come before
   * the body is sent (an HTTP client would insist on sending it all).
   */
  private static Answer oversized(ServiceProcess target, Operation op, String path, String token)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", target.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (op.method()
                  + " "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                  + "Content-Type: application/json\r\nContent-Length: "
                  + OVERSIZED
                  + "\r\nConnection: close\r\n\r\n{\"probe\":\"")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        // Up to the end of the answer's body: the server may keep the connection for the rest.
        for (int n;
            !complete(read.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buffer)) > 0; ) {
          read.write(buffer, 0, n);
        }
      } catch (IOException e) {
        if (read.size() == 0) {
          return new Answer(599, null, "no answer before the body: " + e);
        }
      }
      String text = read.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.substring(9, 12));
      Matcher type = Pattern.compile("(?im)^content-type:\\s*(\\S+)").matcher(text);
      int bodyStart = text.indexOf("\r\n\r\n");
      return new Answer(
          status,
          type.find() ? type.group(1) : null,
          bodyStart < 0 ? "" : text.substring(bodyStart + 4));
    }
  }

  /** Whether {@code text} holds a whole HTTP response (headers and Content-Length body). */
  private static boolean complete(String text) {
    int bodyStart = text.indexOf("\r\n\r\n");
    if (bodyStart < 0) {
      return false;
    }
    Matcher length =
        Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text.substring(0, bodyStart));
    return length.find() && text.length() - bodyStart - 4 >= Integer.parseInt(length.group(1));
  }

  /** An object whose every declared property has a value of another JSON type. */
  private static String wrongTypes(JsonNode schema) {
    ObjectNode body = EventJson.MAPPER.createObjectNode();
    schema
        .path("properties")
        .properties()
        .forEach(
            p -> {
              JsonNode property = p.getValue();
              String format = property.path("format").asText();
              switch (property.path("type").asText()) {
                case "string" -> {
                  if (property.has("enum")) {
                    body.put(p.getKey(), "NOT_A_VALUE");
                  } else if (format.startsWith("date")) {
                    body.put(p.getKey(), 7); // an epoch number, not an RFC 3339 string
                  } else {
                    body.putObject(p.getKey()).put("probe", 1);
                  }
                }
                case "integer", "number" -> body.put(p.getKey(), "not a number");
                case "boolean" -> body.put(p.getKey(), "maybe");
                default -> body.put(p.getKey(), 7); // arrays and objects
              }
            });
    if (body.isEmpty()) {
      return "\"not an object\"";
    }
    return body.toString();
  }

  /**
   * Something of tenant A's behind the operations that take an id, so the other tenant is probed
   * with ids that exist (the listings supply them); ids nothing lists are probed as unknown ones.
   */
  private void createFixtures(ServiceProcess gateway, ForgedTokens forge, UUID a, String tokenA)
      throws Exception {
    ApiCaller owner = new ApiCaller(gateway, tokenA);
    // A member with the support role, active (invited and accepted), so a ticket assigned to them
    // notifies them; the inbox is per user, so their listing stands in for tenant A's.
    String agent =
        Invitations.inviteAndAccept(
                gateway, owner, "agent@probe-a.example.com", "support", "probe-A-password-1")
            .toString();
    String ticket =
        created(
            owner,
            "/v1/support/tickets",
            "{\"subject\":\"Probe\",\"priority\":\"low\",\"assigneeId\":\"" + agent + "\"}");
    created(owner, "/v1/support/tickets/" + ticket + "/comments", "{\"body\":\"Probe\"}");
    ApiCaller member =
        new ApiCaller(
            gateway, forge.resigned(forge.issued(a, TIER, "support"), c -> c.put("sub", agent)));
    listings.put(
        "/v1/notifications",
        ApiCaller.until(
            "the assignee's notification",
            () -> {
              JsonNode inbox = member.call("GET", "/v1/notifications", null, 200);
              return inbox.path("items").isEmpty() ? null : inbox;
            }));

    created(owner, "/v1/webhooks/endpoints", "{\"url\":\"http://127.0.0.1:9/probe\"}");
    created(owner, "/v1/budgets", "{\"name\":\"Probe\",\"currency\":\"USD\",\"amount\":100}");
    CostHistory.upload(owner);
    created(owner, "/v1/forecasts", "{\"horizon\":3}");

    String report =
        created(owner, "/v1/analytics/reports", "{\"name\":\"Probe\",\"template\":\"cost\"}");
    created(
        owner,
        "/v1/analytics/schedules",
        "{\"reportId\":\""
            + report
            + "\",\"cron\":\"0 6 * * *\",\"timeZone\":\"UTC\",\"recipients\":"
            + "[{\"type\":\"email\",\"address\":\"ops@probe-a.example.com\"}]}");
    // Shares are not listed on their own path: the one created stands in for the listing.
    owner.call(
        "PUT",
        "/v1/analytics/reports/" + report + "/shares",
        "{\"principalType\":\"role\",\"principal\":\"analyst\",\"permission\":\"view\"}",
        200);
    listed("/v1/analytics/reports/" + report + "/shares", "type", "role");
    listed("/v1/analytics/reports/" + report + "/shares/role", "principal", "analyst");

    // Billing learns the tenant from the gateway's events; then a month of usage and its invoice.
    ApiCaller.until(
        "billing metering tenant A",
        () -> TIER.equals(owner.call("GET", "/v1/metrics", null, 200).path("tier").asText()));
    created(owner, "/v1/metrics/thresholds", "{\"metricCode\":\"support_hours\",\"threshold\":10}");
    YearMonth lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
    owner.call(
        "POST",
        "/v1/usage",
        "{\"records\":[{\"transactionId\":\"probe-1\",\"metricCode\":\"support_hours\","
            + "\"quantity\":\"3\",\"timestamp\":\""
            + lastMonth.atDay(10).atTime(9, 0).toInstant(ZoneOffset.UTC)
            + "\"}]}",
        200);
    String invoice = created(owner, "/v1/invoices/runs", "{\"period\":\"" + lastMonth + "\"}");
    owner.call("POST", "/v1/invoices/" + invoice + "/finalize", null, 200);
    listed(
        "/v1/invoices/" + invoice + "/credit-notes",
        "id",
        created(
            owner,
            "/v1/invoices/" + invoice + "/credit-notes",
            "{\"reason\":\"Probe\",\"full\":true}"));
  }

  /** Stands in for a listing the API does not have: one item with {@code field} set. */
  private void listed(String listing, String field, String value) {
    listings.put(
        listing,
        EventJson.MAPPER
            .createArrayNode()
            .add(EventJson.MAPPER.createObjectNode().put(field, value)));
  }

  private static String created(ApiCaller caller, String path, String body) throws Exception {
    return caller.call("POST", path, body, 201).path("id").asText();
  }

  private static List<String> routePrefixes() throws IOException {
    List<String> prefixes = new ArrayList<>();
    for (String line :
        Files.readAllLines(
            PackagedServices.ROOT.resolve(
                "services/gateway/src/main/resources/application.properties"))) {
      Matcher prefix = ROUTE_PREFIX.matcher(line);
      if (prefix.find()) {
        prefixes.add(prefix.group(1));
      }
    }
    return prefixes;
  }

  private static UUID createTenant(ServiceProcess gateway, String operator, String name)
      throws Exception {
    Answer created =
        send(
            gateway,
            "POST",
            "/v1/tenants",
            operator,
            "{\"name\":\"" + name + "\",\"tier\":\"" + TIER + "\",\"branding\":{}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return UUID.fromString(
        EventJson.tree(created.body().getBytes(StandardCharsets.UTF_8)).path("id").asText());
  }

  /** An owner-scoped API key of the tenant {@code owner} belongs to, exchanged for its token. */
  private static String apiKeyToken(ServiceProcess gateway, String owner) throws Exception {
    Answer key =
        send(gateway, "POST", "/v1/api-keys", owner, "{\"name\":\"probe\",\"scopes\":[\"owner\"]}");
    assertThat(key.status()).as(key.body()).isEqualTo(201);
    String secret =
        EventJson.tree(key.body().getBytes(StandardCharsets.UTF_8)).path("secret").asText();
    Answer token =
        send(gateway, "POST", "/v1/auth/authenticate", null, "{\"apiKey\":\"" + secret + "\"}");
    assertThat(token.status()).as(token.body()).isEqualTo(200);
    return EventJson.tree(token.body().getBytes(StandardCharsets.UTF_8))
        .path("accessToken")
        .asText();
  }
}

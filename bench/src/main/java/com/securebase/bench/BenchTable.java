package com.securebase.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code make bench}'s one table: reads the run's figures file ({@link BenchFigures}) and writes it
 * as markdown and as JSON next to it (so runs can be compared), then prints the markdown.
 *
 * <p>Arguments: the figures file, the output directory, a label for the run (the commit).
 */
public final class BenchTable {
  private BenchTable() {}

  public static void main(String[] args) throws Exception {
    Path figures = Path.of(args[0]);
    Path out = Path.of(args[1]);
    String label = args.length > 2 ? args[2] : "";
    ArrayNode rows = EventJson.MAPPER.createArrayNode();
    for (String line : Files.readAllLines(figures, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        rows.add(EventJson.tree(line.getBytes(StandardCharsets.UTF_8)));
      }
    }
    ObjectNode run = EventJson.MAPPER.createObjectNode();
    run.put("at", Instant.now().toString());
    run.put("commit", label);
    run.put("cores", Runtime.getRuntime().availableProcessors());
    run.set("figures", rows);
    Files.createDirectories(out);
    Files.writeString(
        out.resolve("results.json"),
        EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(run));
    String markdown = markdown(run);
    Files.writeString(out.resolve("results.md"), markdown);
    System.out.print(markdown);
  }

  static String markdown(JsonNode run) {
    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            "SecureBase benchmarks, %s, commit %s, %d cores%n%n",
            run.path("at").asText(), run.path("commit").asText(), run.path("cores").asInt()));
    table.append("| Area | Figure | Value | Baseline, same run | Baseline value | Ratio |\n");
    table.append("|---|---|---:|---|---:|---:|\n");
    for (JsonNode row : run.path("figures")) {
      String unit = row.path("unit").asText();
      boolean baseline = row.has("baseline");
      double value = row.path("value").asDouble();
      double base = row.path("baselineValue").asDouble();
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s %s | %s | %s | %s |%n",
              row.path("area").asText(),
              row.path("figure").asText(),
              number(value),
              unit,
              baseline ? row.path("baseline").asText() : "—",
              baseline ? number(base) + " " + unit : "—",
              baseline && base != 0 ? String.format(Locale.ROOT, "%.2f", value / base) : "—"));
    }
    return table.toString();
  }

  private static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : "%.2f", value);
  }
}

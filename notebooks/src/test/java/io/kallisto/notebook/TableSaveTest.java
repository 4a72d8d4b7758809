package io.kallisto.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableSaveTest {
  @Test
  void aTableSavesAsCsvOrJsonByItsFileNameAtFullPrecision(@TempDir Path dir) throws Exception {
    Table t = Table.of("fix", "p99 µs", "runs").row("inline, slow", 20_283.4567, 3)
        .row("say \"hi\"", Double.NaN, 1);
    Path csv = t.save(dir.resolve("fixes.csv"));
    assertEquals("fix,p99 µs,runs\r\n\"inline, slow\",20283.4567,3\r\n\"say \"\"hi\"\"\",NaN,1\r\n",
        Files.readString(csv));
    JsonNode json = new ObjectMapper().readTree(t.save(dir.resolve("fixes.json")).toFile());
    assertEquals(2, json.size());
    assertEquals("inline, slow", json.get(0).get("fix").asText());
    assertEquals(20_283.4567, json.get(0).get("p99 µs").asDouble());
    assertEquals(3, json.get(0).get("runs").asInt());
    assertEquals(true, json.get(1).get("p99 µs").isNull(), "JSON has no NaN");
  }
}

package io.scriptohio.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.scriptohio.gateway.cfbd.CfbdRequest;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TtlPolicyTest {

  private final Clock november2025 = Clock.fixed(Instant.parse("2025-11-20T12:00:00Z"), ZoneOffset.UTC);
  private final TtlPolicy policy = new TtlPolicy(Duration.ofMinutes(42), november2025);

  @Test
  void ttlFor_emptyArray() {
    assertThat(policy.ttlFor(CfbdRequest.of("games", "year", "2025"), Buffer.buffer(" [ ] ")))
        .isEqualTo(TtlPolicy.EMPTY);
  }

  @Test
  void ttlFor_pastSeason() {
    Buffer body = Buffer.buffer("[{\"id\":1,\"completed\":true}]");
    assertThat(policy.ttlFor(CfbdRequest.of("games", "year", "2024"), body))
        .isEqualTo(TtlPolicy.PAST_SEASON);
  }

  @Test
  void ttlFor_pastSeasonFixturesStayLive() {
    Buffer body = Buffer.buffer("[{\"id\":1,\"completed\":false}]");
    assertThat(policy.ttlFor(CfbdRequest.of("games", "year", "2024", "week", "13"), body))
        .isEqualTo(TtlPolicy.LIVE_GAMES);
  }

  @Test
  void ttlFor_currentWeekWithGamesToPlay() {
    Buffer body = Buffer.buffer("[{\"id\":1,\"completed\":true},{\"id\":2,\"completed\":false}]");
    assertThat(policy.ttlFor(CfbdRequest.of("games", "year", "2025", "week", "13"), body))
        .isEqualTo(TtlPolicy.LIVE_GAMES);
  }

  @Test
  void ttlFor_currentSeasonCompletedWeek() {
    Buffer body = Buffer.buffer("[{\"id\":1,\"completed\":true}]");
    assertThat(policy.ttlFor(CfbdRequest.of("games", "year", "2025", "week", "3"), body))
        .isEqualTo(TtlPolicy.COMPLETED_GAMES);
  }

  @Test
  void ttlFor_linesBeforeKickoff() {
    Buffer body = Buffer.buffer("[{\"id\":1,\"homeScore\":null,\"lines\":[]}]");
    assertThat(policy.ttlFor(CfbdRequest.of("lines", "year", "2025"), body))
        .isEqualTo(TtlPolicy.LIVE_GAMES);
  }

  @Test
  void ttlFor_otherDataUsesDefault() {
    Buffer body = Buffer.buffer("[{\"team\":\"Ohio State\",\"talent\":973.69}]");
    assertThat(policy.ttlFor(CfbdRequest.of("talent", "year", "2025"), body))
        .isEqualTo(Duration.ofMinutes(42));
  }

  @Test
  void currentSeason_januaryBelongsToPreviousYear() {
    Clock january = Clock.fixed(Instant.parse("2026-01-10T00:00:00Z"), ZoneOffset.UTC);
    assertThat(new TtlPolicy(Duration.ofHours(1), january).currentSeason()).isEqualTo(2025);
    assertThat(policy.currentSeason()).isEqualTo(2025);
  }
}

package io.scriptohio.gateway.support;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any test during which Vert.x warned that an event loop or worker was blocked.
 *
 * <p>It is both a Logback appender (attached to Vert.x's blocked-thread checker logger in
 * {@code logback-test.xml}) and a JUnit extension registered for every test through
 * {@code META-INF/services}, so no test can forget it.
 */
public final class BlockedThreadDetector extends AppenderBase<ILoggingEvent>
    implements BeforeEachCallback, AfterEachCallback {

  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    if (message != null && message.contains("has been blocked for")) {
      WARNINGS.add(event.getThreadName() + ": " + message);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    WARNINGS.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!WARNINGS.isEmpty()) {
      List<String> found = List.copyOf(WARNINGS);
      WARNINGS.clear();
      throw new AssertionError("Vert.x reported a blocked thread during "
          + context.getDisplayName() + ":\n" + String.join("\n", found));
    }
  }
}

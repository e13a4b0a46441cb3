package dev.tablesync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = new Redactor(List.of("s3cret-pass", "s3cret", "abc"));

    @Test
    void shouldHideJdbcUrlsWithWhateverTheyCarry() {
        assertEquals("cannot connect to <hidden> (refused)",
                redactor.apply("cannot connect to jdbc:mysql://u:pw@db:3306/shop?password=x (refused)"));
        assertEquals("url '<hidden>' rejected", redactor.apply("url 'jdbc:mariadb://db/x' rejected"));
    }

    @Test
    void shouldHideConfiguredPasswordsLongestFirst() {
        assertEquals("echo <hidden> and <hidden>", redactor.apply("echo s3cret-pass and s3cret"));
    }

    @Test
    void shouldLeaveShortPasswordsAloneSoMessagesStayReadable() {
        assertEquals("abc table missing", redactor.apply("abc table missing"));
        assertNull(redactor.apply(null));
    }
}

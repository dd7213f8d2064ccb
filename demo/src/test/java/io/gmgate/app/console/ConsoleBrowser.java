package io.gmgate.app.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian's packages, driven through the packaged chromedriver (Selenium
 * Manager would try to download one, which cannot work offline). Without Chromium the browser tests
 * are skipped — unless GMGATE_REQUIRE_CHROMIUM is set, as ./run-tests sets it after installing it.
 * With -Dgmgate.screenshots=true each page is saved under docs/img/ for docs/console.md.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final String REQUIRE_ENV = "GMGATE_REQUIRE_CHROMIUM";
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriverService service;
    final ChromeDriver driver;
    private final Path profile;
    private final String base;

    private ConsoleBrowser(String base) throws IOException {
        this.base = base;
        profile = Files.createTempDirectory("gmgate-chromium");
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        driver = new ChromeDriver(service, options);
    }

    /** A browser on the console at {@code adminPort}, or the test skipped (failed under GMGATE_REQUIRE_CHROMIUM). */
    static ConsoleBrowser open(int adminPort) throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && System.getenv(REQUIRE_ENV) != null && !System.getenv(REQUIRE_ENV).isEmpty()
                && !"0".equals(System.getenv(REQUIRE_ENV))) {
            throw new AssertionError(REQUIRE_ENV + " is set but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: run .ci/install-chromium.sh");
        }
        Assumptions.assumeTrue(present, "no Chromium here (.ci/install-chromium.sh installs it)");
        return new ConsoleBrowser("http://127.0.0.1:" + adminPort);
    }

    WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    /** Logs in with {@code token} and waits until the role is shown. */
    void login(String token) {
        driver.get(base + "/console/");
        WebElement field = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.sendKeys(token);
        driver.findElement(By.id("login-button")).click();
        waiting().until(d -> !d.findElement(By.id("role")).getText().isEmpty());
    }

    void page(String name) {
        driver.findElement(By.cssSelector("#nav a[data-page='" + name + "']")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("page-" + name)));
    }

    WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    /** With -Dgmgate.screenshots=true: the page as it is now into docs/img/console-NAME.png. */
    void screenshot(String name) throws IOException {
        if (!Boolean.getBoolean("gmgate.screenshots")) {
            return;
        }
        Path img = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("img");
        Files.createDirectories(img);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), img.resolve("console-" + name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

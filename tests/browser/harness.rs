//! What the browser tests stand on: the release build in `dist/` served on a free loopback
//! port, chromedriver on another, and headless Chromium driven through it. Every process started
//! here is stopped when its guard drops, also when a test fails.

use bytes::Bytes;
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use serde_json::json;
use std::future::Future;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a test waits for the page to show what it expects.
const PATIENCE: Duration = Duration::from_secs(15);

pub fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Serves `dist/` on 127.0.0.1 at a port the OS picks, from a thread of its own. The page
/// comes with its own Content-Security-Policy (from its `<meta>` tag) also as a header, which
/// adds `report-uri`: the browser reports every violation here, and `csp_reports` lists them.
struct StaticServer {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    url: String,
    csp_reports: CspReports,
}

type CspReports = Arc<Mutex<Vec<String>>>;

/// Where the browser sends its reports of policy violations.
const CSP_REPORT_PATH: &str = "/csp-report";

/// The policy the page's `<meta http-equiv="Content-Security-Policy">` sets, if any.
fn page_policy(page: &str) -> Option<String> {
    let (_, after) = page.split_once(r#"http-equiv="Content-Security-Policy" content=""#)?;
    after.split('"').next().map(str::to_owned)
}

impl StaticServer {
    fn start(root: PathBuf) -> StaticServer {
        assert!(
            root.join("index.html").is_file(),
            "{} has no index.html: run `trunk build --release` first (scripts/test does)",
            root.display()
        );
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener.set_nonblocking(true).expect("non-blocking");
        let port = listener.local_addr().expect("an address").port();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let page = std::fs::read_to_string(root.join("index.html")).expect("index.html");
        let policy = page_policy(&page).map(|p| format!("{p}; report-uri {CSP_REPORT_PATH}"));
        let csp_reports = CspReports::default();
        let reports = csp_reports.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the file server");
            runtime.block_on(async move {
                let listener =
                    tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                tokio::select! {
                    _ = stopped => {}
                    _ = Self::serve(listener, root, policy, reports) => {}
                }
            });
        });
        StaticServer {
            stop: Some(stop),
            thread: Some(thread),
            url: format!("http://127.0.0.1:{port}/"),
            csp_reports,
        }
    }

    async fn serve(
        listener: tokio::net::TcpListener,
        root: PathBuf,
        policy: Option<String>,
        reports: CspReports,
    ) {
        while let Ok((stream, _)) = listener.accept().await {
            let (root, policy, reports) = (root.clone(), policy.clone(), reports.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                    let (root, policy, reports) = (root.clone(), policy.clone(), reports.clone());
                    async move {
                        if request.uri().path() == CSP_REPORT_PATH {
                            let body = request.into_body().collect().await.map(|b| b.to_bytes());
                            let report =
                                String::from_utf8_lossy(&body.unwrap_or_default()).into_owned();
                            reports.lock().expect("reports").push(report);
                            return Ok::<_, std::convert::Infallible>(Response::new(
                                Full::default(),
                            ));
                        }
                        let gzip = request
                            .headers()
                            .get("Accept-Encoding")
                            .and_then(|v| v.to_str().ok())
                            .is_some_and(|v| v.contains("gzip"));
                        let mut response = Self::response(&root, request.uri().path(), gzip);
                        let is_page = response
                            .headers()
                            .get("Content-Type")
                            .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
                        if let Some(policy) = policy.filter(|_| is_page) {
                            let header = policy.parse().expect("a header value");
                            response
                                .headers_mut()
                                .insert("Content-Security-Policy", header);
                        }
                        Ok(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    }

    /// The file at `path` under `root` with its content type, or 404. With `gzip` accepted and
    /// a `.gz` copy beside the file (scripts/perf makes them, as a host would serve them), the
    /// copy, marked as gzip-encoded.
    fn response(root: &Path, path: &str, gzip: bool) -> Response<Full<Bytes>> {
        let relative = path.trim_start_matches('/');
        let relative = if relative.is_empty() {
            "index.html"
        } else {
            relative
        };
        let file = root.join(relative);
        let inside = !relative.split('/').any(|part| part == "..");
        let mime = match file.extension().and_then(|e| e.to_str()) {
            Some("html") => "text/html; charset=utf-8",
            Some("js") => "text/javascript",
            Some("wasm") => "application/wasm",
            Some("css") => "text/css",
            _ => "application/octet-stream",
        };
        let compressed = file.with_file_name(format!(
            "{}.gz",
            file.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        ));
        let packed = gzip && inside && compressed.is_file();
        let read = std::fs::read(if packed { &compressed } else { &file });
        let (status, mime, body) = match read {
            Ok(bytes) if inside => (200, mime, bytes),
            _ => (404, "text/plain", b"not found".to_vec()),
        };
        let mut response = Response::builder()
            .status(status)
            .header("Content-Type", mime);
        if packed && status == 200 {
            response = response.header("Content-Encoding", "gzip");
        }
        response
            .body(Full::new(Bytes::from(body)))
            .expect("a valid response")
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A guide site on another origin (see `Browser::open_guide`).
pub struct Site {
    _server: StaticServer,
    folder: PathBuf,
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// chromedriver in a process group of its own, so that stopping the group also stops every
/// Chromium it started.
struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    fn start() -> ChromeDriver {
        use std::os::unix::process::CommandExt;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .process_group(0)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start chromedriver (scripts/setup --browser installs it)");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + PATIENCE;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        ChromeDriver { child, url }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// A Chrome DevTools Protocol command, sent through chromedriver's `goog/cdp/execute`.
/// Only scripts/perf's measurement (tests/frame_times.rs) throttles the page.
#[allow(dead_code)]
#[derive(Debug)]
struct Cdp {
    command: String,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.command, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Look of the page to test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// The screen the page is shown on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// A 1280×1000 desktop window.
    Wide,
    /// A 390×844 phone, emulated (a headless window cannot be narrower than 500 px).
    Phone,
}

/// A headless Chromium showing the playground.
pub struct Browser {
    pub client: Client,
    pub url: String,
    screen: Screen,
    user_data: PathBuf,
    // Dropped after the client: the browser goes before its driver and the server.
    _driver: ChromeDriver,
    server: StaticServer,
}

impl Browser {
    /// Opens the playground in the quiet scenario (the starter with nothing running), where a
    /// test knows every offset, and waits until it has rendered.
    pub async fn open(theme: Theme, screen: Screen) -> Browser {
        Browser::open_at(theme, screen, "?scenario=quiet").await
    }

    /// Opens the playground with `query` (say `?scenario=busy`) and waits until it has
    /// rendered.
    /// A first visit opens on the Lessons tab; the tests start on the Actions tab, with the
    /// forms, unless they open a lesson.
    pub async fn open_at(theme: Theme, screen: Screen, query: &str) -> Browser {
        let dist = project_dir().join("dist");
        let browser = Browser::open_page(dist, query, "produce-form", theme, screen).await;
        if !query.contains("lesson=") {
            browser.click("tab-actions").await;
        }
        browser
    }

    /// Opens the `index.html` in `root` (under `target/` or `dist/`) with `query`, and waits
    /// for the element with the data-testid `ready`.
    pub async fn open_page(
        root: PathBuf,
        query: &str,
        ready: &str,
        theme: Theme,
        screen: Screen,
    ) -> Browser {
        let server = StaticServer::start(root);
        let driver = ChromeDriver::start();
        let user_data = std::env::temp_dir().join(format!(
            "kafka-playground-chromium-{}-{}",
            std::process::id(),
            driver.child.id()
        ));
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            "--window-size=1280,1000".to_owned(),
            format!("--user-data-dir={}", user_data.display()),
        ];
        if theme == Theme::Dark {
            args.push("--force-dark-mode".to_owned());
        }
        let mut options = json!({ "binary": chromium_binary(), "args": args });
        if screen == Screen::Phone {
            options["mobileEmulation"] =
                json!({ "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 2 } });
        }
        let capabilities = json!({ "goog:chromeOptions": options });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal");
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .expect("a WebDriver session in headless Chromium");
        let browser = Browser {
            client,
            url: server.url.clone(),
            screen,
            user_data,
            _driver: driver,
            server,
        };
        let page = format!("{}{query}", browser.url);
        browser.client.goto(&page).await.expect("navigate");
        browser.find(ready).await;
        browser
    }

    /// Opens a page of another origin (a second loopback port) that frames the playground, as a
    /// guide embeds it, and waits for the framed playground to render.
    pub async fn open_framed_by_another_origin(&self) {
        let guide =
            std::env::temp_dir().join(format!("kafka-playground-guide-{}", std::process::id()));
        std::fs::create_dir_all(&guide).expect("a folder for the guide page");
        let page = format!(
            "<!doctype html><title>A Kafka guide</title><iframe src=\"{}\" width=\"900\" height=\"700\"></iframe>",
            self.url
        );
        std::fs::write(guide.join("index.html"), page).expect("the guide page");
        let site = StaticServer::start(guide.clone());
        assert_ne!(site.url, self.url, "another origin");
        self.client
            .goto(&site.url)
            .await
            .expect("navigate to the guide");
        self.client
            .clone()
            .enter_frame(0)
            .await
            .expect("into the frame");
        self.find("produce-form").await;
        self.client
            .clone()
            .enter_parent_frame()
            .await
            .expect("back to the guide");
        drop(site);
        let _ = std::fs::remove_dir_all(&guide);
    }

    /// Serves `page` as the index of a site on another origin (a second loopback port), as a
    /// guide website that embeds the playground, and shows it. The site lives as long as the
    /// returned guard; `{playground}` in `page` stands for the playground's address.
    pub async fn open_guide(&self, page: &str) -> Site {
        let folder = std::env::temp_dir().join(format!(
            "kafka-playground-site-{}-{}",
            std::process::id(),
            self._driver.child.id()
        ));
        std::fs::create_dir_all(&folder).expect("a folder for the guide site");
        std::fs::write(
            folder.join("index.html"),
            page.replace("{playground}", &self.url),
        )
        .expect("the guide page");
        let server = StaticServer::start(folder.clone());
        assert_ne!(server.url, self.url, "another origin");
        self.client
            .goto(&server.url)
            .await
            .expect("navigate to the guide");
        Site {
            _server: server,
            folder,
        }
    }

    /// The Content-Security-Policy violations the browser has reported so far.
    pub fn csp_reports(&self) -> Vec<String> {
        self.server.csp_reports.lock().expect("reports").clone()
    }

    /// Ends the session, which also quits Chromium.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        let _ = std::fs::remove_dir_all(&self.user_data);
    }

    /// The element with `data-testid`, once it exists.
    pub async fn find(&self, testid: &str) -> Element {
        let css = format!("[data-testid=\"{testid}\"]");
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(&css))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                let shots = self.screenshot(&format!("missing-{testid}")).await;
                let page = self.client.source().await.unwrap_or_default();
                let loaded = self
                    .client
                    .execute(
                        "return performance.getEntriesByType('resource').map(r => `${r.name} ${r.responseStatus} ${Math.round(r.duration)} ms`)",
                        Vec::new(),
                    )
                    .await
                    .unwrap_or_default();
                panic!(
                    "no element {css} on the page ({e}); screenshots {shots:?}; loaded: {loaded}; page:\n{page}"
                )
            }
        }
    }

    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
    }

    pub async fn click(&self, testid: &str) {
        let element = self.find(testid).await;
        self.click_on(&element, testid).await;
    }

    /// Clicks `element` after scrolling it to the middle of the screen, clear of the sticky
    /// header (WebDriver scrolls no further than needed to make it visible).
    pub async fn click_on(&self, element: &Element, what: &str) {
        let argument = serde_json::to_value(element).expect("an element reference");
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'})",
                vec![argument.clone()],
            )
            .await
            .unwrap_or_else(|e| panic!("scroll to {what}: {e}"));
        // A record cell drops into place as it appears: click where it comes to rest.
        self.until(&format!("{what} stops moving"), || async {
            let moving = self
                .client
                .execute(
                    "return arguments[0].getAnimations().some(a => a.playState === 'running' && a.effect.getComputedTiming().iterations !== Infinity)",
                    vec![argument.clone()],
                )
                .await
                .ok()?;
            (moving == serde_json::Value::Bool(false)).then_some(())
        })
        .await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {what}: {e}"));
    }

    /// Opens a part of the stage in the Inspector, as a learner reaches its details and
    /// buttons: a click on the first element matching `css` (a broker's, partition's or
    /// group's name, or a producer's node).
    pub async fn inspect(&self, css: &str) {
        let element = self
            .until(&format!("{css} on the stage"), || async {
                self.all(css).await.into_iter().next()
            })
            .await;
        self.click_on(&element, css).await;
        self.until("the Inspector shows it", || async {
            let tab = self.find("tab-inspector").await;
            (tab.attr("aria-selected").await.ok()?.as_deref() == Some("true")).then_some(())
        })
        .await;
    }

    /// Replaces the text of an input by typing, as a person would: select all, delete, type.
    /// (WebDriver's clear() fires no input event, so the page would not see the change.)
    pub async fn fill(&self, testid: &str, text: &str) {
        const CONTROL: char = '\u{E009}';
        const RELEASE: char = '\u{E000}';
        const BACKSPACE: char = '\u{E003}';
        let input = self.find(testid).await;
        input
            .send_keys(&format!("{CONTROL}a{RELEASE}{BACKSPACE}{text}"))
            .await
            .expect("type into the input");
    }

    /// Presses `key` (a WebDriver key code such as `'\u{E012}'` for ←) with the focus on the
    /// page itself, as a keyboard user would.
    pub async fn press(&self, key: char) {
        let body = self
            .client
            .find(Locator::Css("body"))
            .await
            .expect("the page has a body");
        body.send_keys(&key.to_string())
            .await
            .unwrap_or_else(|e| panic!("press {key:?}: {e}"));
    }

    pub async fn text(&self, testid: &str) -> String {
        self.find(testid).await.text().await.expect("read text")
    }

    /// Runs `check` until it returns `Some`, or fails the test saying what did not happen.
    pub async fn until<T, F, Fut>(&self, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(value) = check().await {
                return value;
            }
            if Instant::now() > deadline {
                self.screenshot(&format!("failed-{}", what.replace(' ', "-")))
                    .await;
                panic!("timed out waiting until {what}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves screenshots of the whole page for a person to look at: on a wide screen one
    /// target/screenshots/<name>.png as tall as the page, on a phone one per screenful
    /// (<name>-1.png, <name>-2.png, ...), as emulation fixes the viewport's height.
    pub async fn screenshot(&self, name: &str) -> Vec<PathBuf> {
        let dir = project_dir().join("target").join("screenshots");
        std::fs::create_dir_all(&dir).expect("create target/screenshots");
        let height = self
            .eval("document.documentElement.scrollHeight")
            .await
            .as_u64()
            .unwrap_or(1000) as u32;
        let mut shots = Vec::new();
        if self.screen == Screen::Wide {
            let (width, window_height) = self.client.get_window_size().await.expect("window size");
            let _ = self
                .client
                .set_window_size(width as u32, height + 200)
                .await;
            shots.push((
                dir.join(format!("{name}.png")),
                self.client.screenshot().await,
            ));
            let _ = self
                .client
                .set_window_size(width as u32, window_height as u32)
                .await;
        } else {
            let viewport = self
                .eval("window.innerHeight")
                .await
                .as_u64()
                .unwrap_or(844) as u32;
            for (i, top) in (0..height).step_by(viewport.max(1) as usize).enumerate() {
                self.eval(&format!("window.scrollTo(0, {top})")).await;
                let path = dir.join(format!("{name}-{}.png", i + 1));
                shots.push((path, self.client.screenshot().await));
            }
            self.eval("window.scrollTo(0, 0)").await;
        }
        shots
            .into_iter()
            .map(|(path, png)| {
                std::fs::write(&path, png.expect("screenshot")).expect("write the screenshot");
                path
            })
            .collect()
    }

    /// Types `line` into the console and presses Enter, as a learner would.
    pub async fn console(&self, line: &str) {
        let input = self.find("console-input").await;
        input
            .send_keys(&format!("{line}\u{E007}"))
            .await
            .unwrap_or_else(|e| panic!("type {line:?} into the console: {e}"));
    }

    /// Raises a WebAssembly trap on a timer, which is what a panic is in the page: the release
    /// build aborts on panic, which in WebAssembly is the `unreachable` trap, thrown to the event
    /// or timer that called in. This module's one function is that instruction.
    pub async fn raise_a_trap(&self) {
        self.eval(
            "(() => { const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, \
             1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11]); \
             const trap = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f; \
             setTimeout(trap); return true; })()",
        )
        .await;
    }

    /// Sends a Chrome DevTools Protocol command (network and CPU throttling, the cache).
    #[allow(dead_code)]
    pub async fn cdp(&self, command: &str, params: serde_json::Value) -> serde_json::Value {
        self.client
            .issue_cmd(Cdp {
                command: command.to_owned(),
                params,
            })
            .await
            .unwrap_or_else(|e| panic!("{command}: {e}"))
    }

    /// Evaluates a JavaScript expression in the page.
    pub async fn eval(&self, expression: &str) -> serde_json::Value {
        self.client
            .execute(&format!("return {expression};"), Vec::new())
            .await
            .unwrap_or_else(|e| panic!("evaluate {expression}: {e}"))
    }
}

fn chromium_binary() -> String {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .unwrap_or("/usr/bin/chromium")
        .to_owned()
}

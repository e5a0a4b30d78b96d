//! Related articles ("Tin liên quan"): timing and quality.
//!
//! `cargo bench --bench related` prints:
//! 1. Timing: `related_articles` alone on corpora made by `benches/gen_corpus.py`
//!    (sizes from `CORPUS_SIZES`, default `10000,100000`; `CORPUS_SIZES=none` skips it), cached
//!    under `target/related-corpus-N`; median of 3 runs.
//! 2. Quality: precision@5 on an in-memory topic corpus whose tags and categories are noisy,
//!    against a baseline that ranks by shared tags and same category only (as Hugo does).
//!    `RELATED_TUNE=1` also tries other weights.
//! 3. With `RELATED_SAMPLE=1`: the related lists of the sample site in this repository.

#[path = "support/mod.rs"]
mod support;

use chrono::{DateTime, FixedOffset};
use std::path::{Path, PathBuf};
use std::time::Instant;
use trangtin::config::{Config, RelatedConfig};
use trangtin::content::{self, parse_article, Loaded};
use trangtin::related::related_articles;
use trangtin::site::taxonomy::term_key;
use trangtin::site::{ArticleId, AssembleOptions, Site};

/// The allocator of the `trangtin` binary, so the step is timed as it runs in a build.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sizes = std::env::var("CORPUS_SIZES").unwrap_or_else(|_| "10000,100000".into());
    if sizes != "none" {
        timing(&root, &sizes);
    }
    quality();
    if std::env::var("RELATED_SAMPLE").is_ok_and(|v| v == "1") {
        sample(&root);
    }
}

/// CPU time of the whole process (all threads), in seconds, from /proc (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// The site of `loaded`, everything published (the bench's "now" is far in the future).
fn assemble(config: Config, loaded: Loaded) -> Site {
    Site::assemble(
        config,
        loaded,
        AssembleOptions {
            drafts: false,
            now: far_future(),
            plain_text_bytes: trangtin::related::PLAIN_TEXT_NEEDED,
        },
    )
    .expect("assemble")
}

fn far_future() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2030-01-01T00:00:00+07:00").unwrap()
}

// ---------------------------------------------------------------------------------------------
// 1. Timing
// ---------------------------------------------------------------------------------------------

fn timing(root: &Path, sizes: &str) {
    println!("== 1. Timing: related_articles(&site) alone, release build, median of 3 ==");
    let mut results: Vec<(usize, f64)> = Vec::new();
    for n in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        let dir = support::corpus(root, "related-corpus", n);
        let config = Config::load(&dir).expect("config");
        let t = Instant::now();
        let loaded = content::load(&dir, &config).expect("load");
        let site = assemble(config, loaded);
        let prepare = t.elapsed().as_secs_f64();
        let mut runs = Vec::new();
        let mut cpu = Vec::new();
        let mut lists = Vec::new();
        for _ in 0..3 {
            let c = cpu_seconds();
            let t = Instant::now();
            lists = related_articles(&site).expect("no pinned errors");
            runs.push(t.elapsed().as_secs_f64());
            cpu.push(cpu_seconds() - c);
        }
        runs.sort_by(f64::total_cmp);
        cpu.sort_by(f64::total_cmp);
        let listed: usize = lists.iter().map(Vec::len).sum();
        let short = site
            .published
            .iter()
            .filter(|&&id| lists[id].len() < site.config.related.count)
            .count();
        println!(
            "N = {n:>7}: related {:.3} s wall (runs {:.3} / {:.3} / {:.3}), {:.2} CPU-s; {} published, {listed} links, {short} with fewer than {}; load+assemble {prepare:.1} s",
            runs[1], runs[0], runs[1], runs[2], cpu[1], site.published.len(), site.config.related.count
        );
        results.push((n, runs[1]));
    }
    if let (Some(a), Some(b)) = (
        results.iter().find(|r| r.0 == 10_000),
        results.iter().find(|r| r.0 == 100_000),
    ) {
        println!("ratio 100k / 10k: {:.1}x time for 10x articles", b.1 / a.1);
    }
    println!();
}

// ---------------------------------------------------------------------------------------------
// 2. Quality
// ---------------------------------------------------------------------------------------------

/// Topics, each with its own words; several share syllables with others on purpose
/// ("trí tuệ nhân tạo" / "sở hữu trí tuệ", "cá" / "cà phê", "chè" / "cà phê chè").
const TOPICS: [&[&str]; 20] = [
    &[
        "chè Shan tuyết",
        "búp chè",
        "vùng chè",
        "giâm hom",
        "nương chè",
        "chè cổ thụ",
        "sao chè thủ công",
        "hái chè",
        "chè đặc sản",
        "cây chè đầu dòng",
        "chế biến chè",
        "chè xanh",
        "làng nghề chè",
        "thương hiệu chè",
        "đồi chè",
    ],
    &[
        "nuôi cá lồng",
        "cá rô phi",
        "hồ thủy điện",
        "thức ăn cho cá",
        "cá giống",
        "ao nuôi",
        "cá tầm",
        "nuôi trồng thủy sản",
        "bệnh trên cá",
        "lồng bè",
        "cá lăng",
        "con giống thủy sản",
        "mật độ thả cá",
        "cá nước lạnh",
        "sản lượng cá",
    ],
    &[
        "cà phê",
        "cây cà phê",
        "tái canh cà phê",
        "cà phê chè",
        "hạt cà phê",
        "rang xay",
        "cà phê đặc sản",
        "vườn cà phê",
        "thu hoạch cà phê",
        "sơ chế ướt",
        "ghép chồi",
        "cà phê vối",
        "cà phê bền vững",
        "sấy hạt",
        "cà phê hữu cơ",
    ],
    &[
        "thiết bị X-quang",
        "an toàn bức xạ",
        "liều kế cá nhân",
        "nhân viên bức xạ",
        "giấy phép tiến hành công việc bức xạ",
        "phòng chụp X-quang",
        "che chắn bức xạ",
        "kiểm định thiết bị X-quang",
        "nguồn phóng xạ",
        "chẩn đoán hình ảnh",
        "máy chụp cắt lớp",
        "liều chiếu",
        "người phụ trách an toàn",
        "sự cố bức xạ",
        "đo suất liều",
    ],
    &[
        "cột đo xăng dầu",
        "kinh doanh xăng dầu",
        "sai số cột đo",
        "niêm phong cột đo",
        "cửa hàng xăng dầu",
        "bình chuẩn kim loại",
        "gian lận đo lường",
        "lượng xăng bán ra",
        "chất lượng xăng",
        "đo lường xăng dầu",
        "mẫu xăng",
        "trị số octan",
        "kiểm định cột đo",
        "xăng sinh học",
        "bể chứa nhiên liệu",
    ],
    &[
        "nhãn hiệu tập thể",
        "đăng ký nhãn hiệu",
        "văn bằng bảo hộ",
        "tài sản trí tuệ",
        "xâm phạm quyền sở hữu trí tuệ",
        "hàng giả nhãn hiệu",
        "Cục Sở hữu trí tuệ",
        "quyền sở hữu công nghiệp",
        "nhãn hiệu chứng nhận",
        "kiểu dáng công nghiệp",
        "sáng chế",
        "bằng độc quyền",
        "quản lý nhãn hiệu",
        "logo nhãn hiệu",
        "khai thác nhãn hiệu",
    ],
    &[
        "chỉ dẫn địa lý",
        "cam sành",
        "vùng trồng cam",
        "quả cam",
        "bưởi đặc sản",
        "vườn cây ăn quả",
        "cây có múi",
        "vùng sản xuất cam",
        "đặc tính quả",
        "bản đồ vùng chỉ dẫn",
        "tem chỉ dẫn địa lý",
        "nhà vườn",
        "chất lượng quả",
        "độ ngọt của quả",
        "sản phẩm mang chỉ dẫn",
    ],
    &[
        "khởi nghiệp đổi mới sáng tạo",
        "dự án khởi nghiệp",
        "nhà đầu tư thiên thần",
        "vườn ươm doanh nghiệp",
        "gọi vốn",
        "cuộc thi khởi nghiệp",
        "ý tưởng khởi nghiệp",
        "mạng lưới cố vấn",
        "sản phẩm mẫu",
        "không gian làm việc chung",
        "quỹ đầu tư mạo hiểm",
        "doanh nghiệp khởi nghiệp",
        "ngày hội khởi nghiệp",
        "mô hình kinh doanh",
        "huấn luyện khởi nghiệp",
    ],
    &[
        "dịch vụ công trực tuyến",
        "thủ tục hành chính",
        "hồ sơ trực tuyến",
        "bộ phận một cửa",
        "thanh toán trực tuyến",
        "cổng dịch vụ công",
        "chữ ký số",
        "tiếp nhận hồ sơ",
        "trả kết quả",
        "toàn trình",
        "tài khoản định danh",
        "số hóa hồ sơ",
        "giải quyết đúng hạn",
        "quy trình nội bộ",
        "mức độ hài lòng",
    ],
    &[
        "hệ thống quản lý chất lượng",
        "tiêu chuẩn TCVN ISO 9001",
        "đánh giá nội bộ",
        "chuyên gia tư vấn ISO",
        "duy trì áp dụng",
        "quy trình tác nghiệp",
        "công bố hệ thống",
        "cơ quan hành chính nhà nước",
        "sổ tay chất lượng",
        "hành động khắc phục",
        "mục tiêu chất lượng",
        "xem xét của lãnh đạo",
        "phiên bản 2015",
        "cải tiến liên tục",
        "hồ sơ chất lượng",
    ],
    &[
        "trồng nấm",
        "nấm linh chi",
        "nấm sò",
        "phôi nấm",
        "nhà trồng nấm",
        "nấm rơm",
        "nấm dược liệu",
        "meo giống",
        "mùn cưa",
        "quả thể nấm",
        "đông trùng hạ thảo",
        "độ ẩm nhà nấm",
        "thu hái nấm",
        "cấy giống nấm",
        "sản phẩm từ nấm",
    ],
    &[
        "điện mặt trời áp mái",
        "tấm pin năng lượng",
        "tiết kiệm năng lượng",
        "năng lượng tái tạo",
        "bộ biến tần",
        "công suất lắp đặt",
        "điện gió",
        "hiệu suất pin",
        "kiểm toán năng lượng",
        "đèn LED",
        "bình nước nóng năng lượng",
        "lưới điện",
        "hệ thống lưu trữ điện",
        "sử dụng năng lượng hiệu quả",
        "giảm phát thải",
    ],
    &[
        "trí tuệ nhân tạo",
        "dữ liệu lớn",
        "chuyển đổi số",
        "điện toán đám mây",
        "nền tảng số",
        "an toàn thông tin",
        "phần mềm nguồn mở",
        "trung tâm dữ liệu",
        "internet vạn vật",
        "ứng dụng di động",
        "bản đồ số",
        "kỹ năng số",
        "hạ tầng số",
        "thuật toán",
        "mô hình ngôn ngữ",
    ],
    &[
        "lúa hữu cơ",
        "giống lúa mới",
        "ruộng lúa",
        "phân bón hữu cơ",
        "năng suất lúa",
        "gạo sạch",
        "vụ đông xuân",
        "cánh đồng mẫu lớn",
        "gieo sạ",
        "sâu cuốn lá",
        "gạo đặc sản",
        "lúa chất lượng cao",
        "cấy lúa",
        "thóc giống",
        "máy gặt đập",
    ],
    &[
        "hàng đóng gói sẵn",
        "nhãn hàng hóa",
        "định lượng hàng đóng gói",
        "dấu định lượng",
        "lượng thiếu cho phép",
        "cơ sở đóng gói",
        "kiểm tra nhãn",
        "hạn sử dụng",
        "xuất xứ hàng hóa",
        "mã số mã vạch",
        "truy xuất nguồn gốc",
        "tem truy xuất",
        "siêu thị",
        "lưu thông trên thị trường",
        "hàng nhập khẩu",
    ],
    &[
        "tiếp công dân",
        "khiếu nại tố cáo",
        "đơn thư",
        "thanh tra hành chính",
        "kết luận thanh tra",
        "phòng chống tham nhũng",
        "kê khai tài sản",
        "giải quyết khiếu nại",
        "công dân kiến nghị",
        "xử lý đơn",
        "minh bạch tài sản",
        "thu nhập cá nhân",
        "tiếp dân định kỳ",
        "quyết định giải quyết",
        "trụ sở tiếp công dân",
    ],
    &[
        "chất thải chăn nuôi",
        "chế phẩm sinh học",
        "đệm lót sinh học",
        "hầm biogas",
        "trang trại lợn",
        "mùi hôi chuồng trại",
        "phân compost",
        "vi sinh vật có ích",
        "nước thải chăn nuôi",
        "chăn nuôi an toàn",
        "gà thả vườn",
        "dịch tả lợn",
        "vệ sinh chuồng",
        "men vi sinh",
        "bò sinh sản",
    ],
    &[
        "nuôi cấy mô",
        "cây con in vitro",
        "phòng nuôi cấy",
        "môi trường dinh dưỡng",
        "vô trùng mẫu",
        "hoa lan",
        "cây giống sạch bệnh",
        "nhân nhanh chồi",
        "ra rễ",
        "vườn ươm cây",
        "chuối cấy mô",
        "hệ số nhân",
        "thuần dưỡng cây",
        "mẫu cấy",
        "giống hoa",
    ],
    &[
        "hội thi sáng tạo kỹ thuật",
        "giải pháp sáng tạo",
        "giải nhất",
        "tác giả sáng kiến",
        "ban giám khảo",
        "lễ trao giải",
        "giải pháp kỹ thuật",
        "phong trào thi đua",
        "công nhận sáng kiến",
        "cải tiến máy móc",
        "hiệu quả làm lợi",
        "hội đồng chấm",
        "thí sinh dự thi",
        "bằng khen",
        "lao động sáng tạo",
    ],
    &[
        "máy đo huyết áp",
        "nhiệt kế y học",
        "cân sức khỏe",
        "kiểm định phương tiện đo",
        "bệnh viện",
        "trạm y tế xã",
        "phương tiện đo nhóm 2",
        "tem kiểm định",
        "máy đo điện tim",
        "bơm tiêm điện",
        "chu kỳ kiểm định",
        "hiệu chuẩn thiết bị y tế",
        "máy đo đường huyết",
        "độ chính xác",
        "cơ sở khám chữa bệnh",
    ],
];

const CATEGORIES: [&str; 8] = [
    "Chung",
    "Hoạt động khoa học và công nghệ",
    "Tiêu chuẩn - Đo lường - Chất lượng",
    "Sở hữu trí tuệ",
    "Khởi nghiệp đổi mới sáng tạo",
    "An toàn bức xạ hạt nhân",
    "Cải cách hành chính",
    "Thanh tra",
];
/// Topic i's "own" tag is TOPIC_TAGS[i]; the rest of TAGS are general.
const TOPIC_TAGS: [&str; 20] = [
    "chè",
    "thủy sản",
    "cà phê",
    "an toàn bức xạ",
    "xăng dầu",
    "nhãn hiệu",
    "chỉ dẫn địa lý",
    "khởi nghiệp",
    "dịch vụ công trực tuyến",
    "ISO 9001",
    "nấm",
    "năng lượng",
    "chuyển đổi số",
    "lúa gạo",
    "hàng đóng gói sẵn",
    "tiếp công dân",
    "chăn nuôi",
    "nuôi cấy mô",
    "sáng kiến",
    "phương tiện đo",
];
const GENERAL_TAGS: [&str; 12] = [
    "hội thảo",
    "tập huấn",
    "nghiệm thu",
    "đề tài",
    "kiểm tra",
    "hội nghị",
    "nông nghiệp",
    "doanh nghiệp",
    "môi trường",
    "y tế",
    "hợp tác",
    "tuyên truyền",
];

const OPENERS: [&str; 12] = [
    "Trong năm qua, ",
    "Thực hiện kế hoạch của Ủy ban nhân dân tỉnh, ",
    "Theo báo cáo của Văn phòng Sở, ",
    "Bên cạnh đó, ",
    "Ngoài ra, ",
    "Đồng thời, ",
    "Tại buổi làm việc, ",
    "Phát biểu tại hội nghị, ",
    "Trong thời gian tới, ",
    "Từ đầu năm đến nay, ",
    "Nhìn chung, ",
    "",
];
const SUBJECTS: [&str; 12] = [
    "Sở Khoa học và Công nghệ",
    "Ban Giám đốc Sở",
    "các đơn vị trực thuộc",
    "Ủy ban nhân dân các huyện",
    "đoàn công tác",
    "Hội đồng tư vấn",
    "các doanh nghiệp trên địa bàn",
    "Văn phòng Sở",
    "các hợp tác xã",
    "Phòng Quản lý chuyên ngành",
    "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
    "lãnh đạo tỉnh",
];
const VERBS: [&str; 12] = [
    "đã tổ chức triển khai",
    "tiếp tục đẩy mạnh",
    "đã phối hợp thực hiện",
    "tăng cường",
    "đã hoàn thành",
    "thường xuyên kiểm tra",
    "đã hướng dẫn",
    "đang xây dựng kế hoạch về",
    "đã rà soát",
    "đánh giá cao",
    "tích cực hỗ trợ",
    "quan tâm chỉ đạo",
];
const GENERIC_OBJECTS: [&str; 14] = [
    "các nội dung theo kế hoạch năm",
    "công tác tuyên truyền, phổ biến",
    "việc bố trí kinh phí",
    "các nhiệm vụ trọng tâm",
    "công tác phối hợp giữa các ngành",
    "việc báo cáo định kỳ",
    "các chỉ tiêu được giao",
    "công tác cán bộ",
    "hoạt động chuyên môn",
    "các giải pháp đồng bộ",
    "việc sơ kết, đánh giá",
    "công tác kiểm tra, giám sát",
    "việc lấy ý kiến góp ý",
    "các văn bản hướng dẫn",
];
const COMPLEMENTS: [&str; 10] = [
    " nhằm nâng cao hiệu quả quản lý nhà nước",
    ", góp phần phát triển kinh tế - xã hội của địa phương",
    " theo đúng quy định của pháp luật",
    " trên địa bàn tỉnh",
    " trong giai đoạn 2021 - 2025",
    ", bảo đảm tiến độ và chất lượng",
    " một cách đồng bộ và hiệu quả",
    " gắn với nhu cầu thực tiễn",
    " theo hướng công khai, minh bạch",
    "",
];
const EVENTS: [&str; 12] = [
    "Hội thảo về",
    "Tập huấn",
    "Triển khai",
    "Kiểm tra",
    "Tổng kết",
    "Nâng cao hiệu quả",
    "Hỗ trợ",
    "Đẩy mạnh",
    "Khảo sát",
    "Đánh giá",
    "Hướng dẫn",
    "Bàn giải pháp phát triển",
];
const GENERIC_TITLES: [&str; 6] = [
    "Giao ban công tác tháng",
    "Sơ kết công tác 6 tháng đầu năm",
    "Hội nghị cán bộ, công chức",
    "Làm việc với các đơn vị",
    "Triển khai nhiệm vụ năm mới",
    "Kiểm tra tiến độ thực hiện kế hoạch",
];

/// A tiny linear congruential generator (Knuth's MMIX constants): deterministic everywhere.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn filler(rng: &mut Lcg, object: &str) -> String {
    capitalize(&format!(
        "{}{} {} {}{}.",
        rng.pick(&OPENERS),
        rng.pick(&SUBJECTS),
        rng.pick(&VERBS),
        object,
        rng.pick(&COMPLEMENTS)
    ))
}

/// The topic corpus: (source, text, topic) for `n` articles. Each body is 8–15 filler sentences
/// shared by all topics, 2–4 sentences with the topic's phrases, and 0–2 phrases of other
/// topics; 30% of titles say nothing about the topic.
fn topic_corpus(n: usize, seed: u64) -> Vec<(String, String, usize)> {
    let mut rng = Lcg(seed);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let topic = i % TOPICS.len();
        let words = TOPICS[topic];
        let title = if rng.chance(30) {
            format!("{} {}", rng.pick(&GENERIC_TITLES), rng.below(12) + 1)
        } else {
            format!("{} {}", rng.pick(&EVENTS), rng.pick(words))
        };
        let mut sentences = Vec::new();
        for _ in 0..8 + rng.below(8) {
            let object = rng.pick(&GENERIC_OBJECTS);
            sentences.push(filler(&mut rng, object));
        }
        // 2–4 topic sentences, one of them with two topic phrases.
        for k in 0..2 + rng.below(3) {
            let mut object = rng.pick(words).to_string();
            if k == 0 {
                object = format!("{object} và {}", rng.pick(words));
            }
            let at = rng.below(sentences.len() + 1);
            sentences.insert(at, filler(&mut rng, &object));
        }
        // Noise: one or two phrases of other topics.
        for _ in 0..rng.below(3) {
            let other = TOPICS[rng.below(TOPICS.len())];
            let object = rng.pick(other);
            let at = rng.below(sentences.len() + 1);
            sentences.insert(at, filler(&mut rng, object));
        }
        let body = sentences
            .chunks(4)
            .map(|p| p.join(" "))
            .collect::<Vec<_>>()
            .join("\n\n");
        // Tags and category: mostly random, sometimes the topic's own.
        let mut tags: Vec<&str> = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let tag = if rng.chance(30) {
                TOPIC_TAGS[topic]
            } else if rng.chance(50) {
                rng.pick(&TOPIC_TAGS)
            } else {
                rng.pick(&GENERAL_TAGS)
            };
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let category = if rng.chance(30) {
            CATEGORIES[topic % CATEGORIES.len()]
        } else {
            rng.pick(&CATEGORIES)
        };
        let year = 2019 + rng.below(7);
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let summary = if rng.chance(50) {
            let phrase = rng.pick(words);
            format!("summary: \"{}\"\n", filler(&mut rng, phrase))
        } else {
            String::new()
        };
        let source = format!("{year}/{month:02}/bai-{i:04}.md");
        let tag_list = tags
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let text = format!(
            "---\ntitle: \"{title}\"\ndate: {year}-{month:02}-{day:02} {:02}:{:02}:00\ncategory: \"{category}\"\ntags: [{tag_list}]\n{summary}---\n\n{body}\n",
            rng.below(24),
            rng.below(60)
        );
        out.push((source, text, topic));
    }
    out
}

fn topic_site(related: RelatedConfig) -> (Site, Vec<usize>) {
    let config = Config {
        related,
        ..Config::default()
    };
    let corpus = topic_corpus(2000, 20241129);
    let mut loaded = Loaded::default();
    let mut topic_of_source = std::collections::HashMap::new();
    for (source, text, topic) in &corpus {
        loaded
            .articles
            .push(parse_article(source, text, &config).expect("valid article"));
        topic_of_source.insert(source.clone(), *topic);
    }
    loaded.articles.sort_by(|a, b| a.source.cmp(&b.source));
    let site = assemble(config, loaded);
    let topics = site
        .articles
        .iter()
        .map(|a| topic_of_source[&a.source])
        .collect();
    (site, topics)
}

/// Hugo-like: 80 per shared tag + 100 for the same category; ties by date, then path.
fn baseline(site: &Site, count: usize) -> Vec<Vec<ArticleId>> {
    let tags: Vec<Vec<String>> = site
        .articles
        .iter()
        .map(|a| {
            let mut t: Vec<String> = a.tags.iter().map(|t| term_key(t)).collect();
            t.sort();
            t.dedup();
            t
        })
        .collect();
    let mut out = vec![Vec::new(); site.articles.len()];
    for &a in &site.published {
        // site.published is newest first, ties by path: a stable sort keeps that order for ties.
        let mut scored: Vec<(u32, ArticleId)> = site
            .published
            .iter()
            .filter(|&&b| b != a)
            .map(|&b| {
                let shared = tags[a].iter().filter(|t| tags[b].contains(t)).count() as u32;
                let cat = u32::from(site.category_of[a] == site.category_of[b]);
                (80 * shared + 100 * cat, b)
            })
            .filter(|&(s, _)| s > 0)
            .collect();
        scored.sort_by_key(|x| std::cmp::Reverse(x.0));
        out[a] = scored.into_iter().take(count).map(|(_, b)| b).collect();
    }
    out
}

struct Quality {
    precision: f64,
    links: usize,
    short: usize,
    none: usize,
}

fn measure(site: &Site, topics: &[usize], lists: &[Vec<ArticleId>], count: usize) -> Quality {
    let (mut good, mut links, mut short, mut none) = (0, 0, 0, 0);
    for &a in &site.published {
        let list = &lists[a];
        links += list.len();
        good += list.iter().filter(|&&b| topics[b] == topics[a]).count();
        short += usize::from(list.len() < count);
        none += usize::from(list.is_empty());
    }
    Quality {
        precision: good as f64 / links.max(1) as f64,
        links,
        short,
        none,
    }
}

fn report(name: &str, q: &Quality) {
    println!(
        "{name:<44} precision@5 {:.3}  links {:>5}  fewer than 5: {:>4}  none: {:>4}",
        q.precision, q.links, q.short, q.none
    );
}

fn quality() {
    println!("== 2. Quality: 2,000 articles, 20 topics, noisy tags and categories ==");
    let defaults = RelatedConfig::default();
    println!(
        "defaults: count {}, text {}, tags {}, category {}, recency {} (half-life {} days), min_score {}",
        defaults.count, defaults.text_weight, defaults.tags_weight, defaults.category_weight,
        defaults.recency_weight, defaults.recency_days, defaults.min_score
    );
    let (site, topics) = topic_site(defaults.clone());
    let t = Instant::now();
    let ours = related_articles(&site).expect("no pins");
    let elapsed = t.elapsed().as_secs_f64();
    let base = baseline(&site, defaults.count);
    report(
        "ours (defaults)",
        &measure(&site, &topics, &ours, defaults.count),
    );
    report(
        "baseline (80 x shared tags + 100 x category)",
        &measure(&site, &topics, &base, defaults.count),
    );
    println!(
        "(ours took {elapsed:.3} s on {} articles)",
        site.published.len()
    );

    if std::env::var("RELATED_TUNE").is_ok_and(|v| v == "1") {
        println!("-- tuning (text, tags, category, recency, min_score) --");
        let grid: &[(f64, f64, f64, f64, f64)] = &[
            (1.0, 0.0, 0.0, 0.0, 0.0),
            (1.0, 0.0, 0.0, 0.0, 0.1),
            (1.0, 0.0, 0.0, 0.0, 0.15),
            (1.0, 0.0, 0.0, 0.0, 0.2),
            (1.0, 0.25, 0.1, 0.05, 0.12),
            (1.0, 0.1, 0.05, 0.05, 0.12),
            (1.0, 0.1, 0.05, 0.05, 0.15),
            (1.0, 0.1, 0.05, 0.05, 0.2),
            (1.0, 0.1, 0.05, 0.02, 0.15),
            (1.0, 0.15, 0.05, 0.03, 0.15),
            (1.0, 0.05, 0.03, 0.02, 0.15),
            (1.0, 0.5, 0.2, 0.05, 0.15),
        ];
        for &(text, tags, cat, rec, min) in grid {
            let cfg = RelatedConfig {
                text_weight: text,
                tags_weight: tags,
                category_weight: cat,
                recency_weight: rec,
                min_score: min,
                ..defaults.clone()
            };
            let (site, topics) = topic_site(cfg.clone());
            let lists = related_articles(&site).expect("no pins");
            report(
                &format!("{text} / {tags} / {cat} / {rec} / min {min}"),
                &measure(&site, &topics, &lists, cfg.count),
            );
        }
    }
    println!();
}

// ---------------------------------------------------------------------------------------------
// 3. The sample site
// ---------------------------------------------------------------------------------------------

fn sample(root: &Path) {
    println!("== 3. The sample site in {} ==", root.display());
    let mut config = Config::load(root).expect("config");
    // RELATED_MIN overrides min_score, to see what a threshold cuts.
    if let Some(min) = std::env::var("RELATED_MIN")
        .ok()
        .and_then(|m| m.parse().ok())
    {
        config.related.min_score = min;
    }
    println!("min_score {}", config.related.min_score);
    let loaded = content::load(root, &config).expect("load");
    let now = chrono::Utc::now().with_timezone(&config.timezone);
    let site = Site::assemble(
        config,
        loaded,
        AssembleOptions {
            drafts: false,
            now,
            plain_text_bytes: trangtin::related::PLAIN_TEXT_NEEDED,
        },
    )
    .expect("assemble");
    let lists = related_articles(&site).expect("pins resolve");
    for &id in &site.published {
        let a = &site.articles[id];
        println!("{} [{}] {}", a.source, a.category, a.title);
        if !a.related.is_empty() {
            println!("    pinned: {:?}", a.related);
        }
        for &r in &lists[id] {
            let b = &site.articles[r];
            println!(
                "    -> {} [{}] {}",
                b.date.format("%Y-%m-%d"),
                b.category,
                b.title
            );
        }
    }
}

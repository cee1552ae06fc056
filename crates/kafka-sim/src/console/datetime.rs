//! Virtual time as Kafka's tools write a moment (`yyyy-MM-ddTHH:mm:ss.SSS`), counted from
//! 1970-01-01T00:00:00.000, when the virtual clock starts: `--to-datetime` reads it, the export
//! writes it. Days from and to civil dates by Howard Hinnant's algorithms.
use crate::sim::topic_config::parse_thousandths;

/// The latest year read, so the arithmetic stays far from overflow.
const MAX_YEAR: i64 = 9999;

/// `yyyy-MM-ddTHH:mm[:ss[.SSS]]` as virtual ms, if it is a moment from 1970 to 9999.
pub fn parse(text: &str) -> Option<u64> {
    let (date, time) = text.split_once('T')?;
    let mut date = date.split('-').map(|n| n.parse::<u32>().ok());
    let (year, month, day) = (date.next()??, date.next()??, date.next()??);
    let (year, month, day) = (i64::from(year), i64::from(month), i64::from(day));
    if date.next().is_some()
        || !(1970..=MAX_YEAR).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
    {
        return None;
    }
    let (clock, millis) = time.split_once('.').unwrap_or((time, "0"));
    let mut clock = clock.split(':').map(|n| n.parse::<u32>().ok());
    let (hour, minute) = (clock.next()??, clock.next()??);
    let second = clock.next().unwrap_or(Some(0))?;
    let millis = parse_thousandths(&format!("0.{millis}"))?;
    if clock.next().is_some() || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = u64::try_from(era * 146_097 + doe - 719_468).ok()?;
    let seconds = (u64::from(hour) * 60 + u64::from(minute)) * 60 + u64::from(second);
    Some(days * 86_400_000 + seconds * 1000 + millis)
}

/// Virtual ms as `yyyy-MM-ddTHH:mm:ss.SSS`.
pub fn format(ms: u64) -> String {
    let days = (ms / 86_400_000) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let in_day = ms % 86_400_000;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_count_from_the_epoch_the_virtual_clock_starts_at() {
        assert_eq!(parse("1970-01-01T00:00:05.000"), Some(5_000));
        assert_eq!(parse("1970-01-01T00:01"), Some(60_000));
        assert_eq!(parse("1970-01-02T00:00:00.5"), Some(86_400_500));
        assert_eq!(parse("2024-03-01T00:00:00.000"), Some(1_709_251_200_000));
        assert_eq!(format(0), "1970-01-01T00:00:00.000");
        assert_eq!(format(90_061_001), "1970-01-02T01:01:01.001");
        assert_eq!(format(1_709_251_200_000), "2024-03-01T00:00:00.000");
    }

    #[test]
    fn bad_moments_are_refused() {
        for text in [
            "1969-12-31T23:59:59.000",
            "1970-13-01T00:00",
            "1970-01-02T-5:00",
            "300000000-01-01T00:00",
            "1970-01-01T24:00",
            "1970-01-01T00:00:00.1234",
            "yesterday",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn format_and_parse_round_trip() {
        for ms in [0, 999, 86_399_999, 951_782_400_000, 4_102_444_800_123] {
            assert_eq!(parse(&format(ms)), Some(ms));
        }
    }
}

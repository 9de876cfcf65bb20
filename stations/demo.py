"""Demo and synthetic station data: a believable Shanghai set, and China-wide benchmark data."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from . import amenities as amenity_vocab
from .geo import haversine_m

DEMO_SOURCE = "demo"
SYNTHETIC_SOURCE = "synthetic"
DEMO_TAG = "【演示】"


@dataclass(frozen=True)
class DemoOperator:
    code: str
    name: str
    kind: str
    brand: str  # how a station of this operator is named
    share: float  # share of the demo stations
    hours: tuple[tuple[str, float], ...]  # expression, weight
    amenities: tuple[str, ...]  # always present
    optional: tuple[str, ...]  # each present with probability 1/2


OPERATORS: tuple[DemoOperator, ...] = (
    DemoOperator(
        "familymart-sh",
        "全家便利店（上海）",
        "chain",
        "全家新家驿站",
        0.38,
        (("24/7", 1.0),),
        ("seating", "drinking_water", "hot_water", "microwave", "phone_charging", "heating", "air_conditioning"),
        ("wifi", "umbrella", "restroom"),
    ),
    DemoOperator(
        "lawson-sh",
        "罗森便利店（上海）",
        "chain",
        "罗森骑手驿站",
        0.14,
        (("24/7", 0.7), ("Mo-Su 07:00-23:00", 0.3)),
        ("seating", "drinking_water", "hot_water", "microwave", "phone_charging"),
        ("wifi", "air_conditioning", "heating"),
    ),
    DemoOperator(
        "sh-union",
        "上海市总工会",
        "union",
        "户外职工爱心接力站",
        0.24,
        (("Mo-Fr 08:30-17:30; PH off", 0.45), ("Mo-Su 08:00-20:00", 0.35), ("24/7", 0.15), ("", 0.05)),
        ("seating", "drinking_water", "hot_water", "microwave", "first_aid", "umbrella"),
        ("phone_charging", "restroom", "air_conditioning", "heating", "books", "repair_kit"),
    ),
    DemoOperator(
        "sh-party-community",
        "上海党群服务站点",
        "party_community",
        "党群服务站·小哥驿站",
        0.14,
        (("Mo-Sa 09:00-21:00", 0.5), ("22:00-06:00", 0.2), ("24/7", 0.2), ("", 0.1)),
        ("seating", "drinking_water", "phone_charging", "first_aid"),
        ("hot_water", "restroom", "ebike_charging", "locker", "books", "heating"),
    ),
    DemoOperator(
        "sh-community-centre",
        "社区综合服务中心",
        "community_centre",
        "社区中心暖新驿站",
        0.10,
        (("Mo-Su 08:00-20:00; PH off", 0.6), ("Mo-Fr 09:00-17:00", 0.3), ("", 0.1)),
        ("seating", "drinking_water", "restroom"),
        ("hot_water", "microwave", "phone_charging", "ebike_charging", "battery_swap", "locker"),
    ),
)

ROADS = (
    "南京西路",
    "淮海中路",
    "曹杨路",
    "长寿路",
    "武宁路",
    "中山北路",
    "四川北路",
    "大连路",
    "控江路",
    "长宁路",
    "天山路",
    "虹桥路",
    "漕溪北路",
    "肇嘉浜路",
    "龙华中路",
    "世纪大道",
    "张杨路",
    "浦东南路",
    "川沙路",
    "沪南路",
    "七莘路",
    "莘松路",
    "都市路",
    "牡丹江路",
    "友谊路",
    "共和新路",
    "博乐路",
    "城中路",
    "中山南路",
    "新松江路",
    "人民路",
    "公园路",
    "城中路",
    "南桥路",
    "八一路",
    "卫零路",
    "石化大道",
    "城桥镇人民路",
    "江杨南路",
    "万荣路",
    "真北路",
    "金沙江路",
    "天目西路",
    "西藏中路",
)

# (district code, spread sigma in km, number of demo stations): compact centre, wide suburbs.
DISTRICT_SPREAD: tuple[tuple[str, float, int], ...] = (
    ("310101", 1.3, 24),
    ("310104", 2.2, 30),
    ("310105", 2.0, 22),
    ("310106", 1.8, 28),
    ("310107", 2.2, 28),
    ("310109", 1.6, 22),
    ("310110", 2.0, 26),
    ("310112", 5.0, 40),
    ("310113", 5.0, 30),
    ("310114", 5.5, 24),
    ("310115", 7.5, 60),
    ("310116", 6.0, 14),
    ("310117", 5.5, 26),
    ("310118", 6.0, 18),
    ("310120", 6.0, 18),
    ("310151", 7.0, 12),
)


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


def _offset(lat: float, lng: float, north_m: float, east_m: float) -> tuple[float, float]:
    dlat = north_m / 111_320.0
    dlng = east_m / (111_320.0 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lng + dlng, 6)


def demo_rows(districts: dict[str, tuple[str, float, float]], seed: int = 2025) -> list[dict]:
    """Build the Shanghai demo set: one dict per station, deterministic for a seed.

    `districts` maps a district code to (name, centre lat, centre lng).
    """
    rng = random.Random(seed)
    shares = [(op, op.share) for op in OPERATORS]
    rows: list[dict] = []
    for code, sigma_km, count in DISTRICT_SPREAD:
        name, c_lat, c_lng = districts[code]
        for i in range(count):
            op = rng.choices([s[0] for s in shares], weights=[s[1] for s in shares])[0]
            lat, lng = _offset(c_lat, c_lng, rng.gauss(0, sigma_km * 1000), rng.gauss(0, sigma_km * 1000))
            road = rng.choice(ROADS)
            number = rng.randint(1, 2000)
            mask = amenity_vocab.to_mask(op.amenities)
            mask |= amenity_vocab.to_mask(a for a in op.optional if rng.random() < 0.5)
            status, closed_until_days = "open", None
            roll = rng.random()
            if roll < 0.03:
                status, closed_until_days = "temporarily_closed", rng.randint(3, 30)
            elif roll < 0.04:
                status = "permanently_closed"
            rows.append(
                {
                    "operator_code": op.code,
                    "store_code": f"DEMO-{code}-{i + 1:03d}",
                    "name": f"{DEMO_TAG}{op.brand}（{road}{'店' if op.kind == 'chain' else '站'}）",
                    "address": f"上海市{name}{road}{number}号",
                    "district_code": code,
                    "lat": lat,
                    "lng": lng,
                    "opening_hours": _weighted(rng, op.hours),
                    "amenity_mask": mask,
                    "phone": f"021-{rng.randint(5000_0000, 6999_9999)}",
                    "status": status,
                    "closed_until_days": closed_until_days,
                    "verified_days_ago": rng.choice([None, rng.randint(0, 200)]),
                }
            )
    return rows


# City, lat, lng, weight (roughly by urban population), spread sigma in km. WGS-84.
CITIES: tuple[tuple[str, float, float, float, float], ...] = (
    ("上海", 31.2304, 121.4737, 24.9, 14),
    ("北京", 39.9042, 116.4074, 21.9, 14),
    ("深圳", 22.5431, 114.0579, 17.6, 11),
    ("广州", 23.1291, 113.2644, 18.7, 13),
    ("成都", 30.5728, 104.0668, 16.3, 12),
    ("重庆", 29.5630, 106.5516, 16.0, 12),
    ("天津", 39.3434, 117.3616, 13.9, 11),
    ("武汉", 30.5928, 114.3055, 12.3, 11),
    ("西安", 34.3416, 108.9398, 12.9, 10),
    ("杭州", 30.2741, 120.1551, 12.2, 10),
    ("南京", 32.0603, 118.7969, 9.4, 9),
    ("郑州", 34.7466, 113.6254, 12.7, 10),
    ("长沙", 28.2282, 112.9388, 10.2, 9),
    ("苏州", 31.2990, 120.5853, 12.9, 10),
    ("东莞", 23.0207, 113.7518, 10.5, 12),
    ("沈阳", 41.8057, 123.4315, 9.1, 9),
    ("青岛", 36.0671, 120.3826, 10.3, 9),
    ("合肥", 31.8206, 117.2272, 9.6, 8),
    ("佛山", 23.0215, 113.1214, 9.6, 10),
    ("宁波", 29.8683, 121.5440, 9.5, 9),
    ("昆明", 25.0389, 102.7183, 8.6, 8),
    ("济南", 36.6512, 117.1201, 9.4, 8),
    ("哈尔滨", 45.8038, 126.5350, 9.9, 8),
    ("大连", 38.9140, 121.6147, 7.5, 8),
    ("福州", 26.0745, 119.2965, 8.4, 8),
    ("厦门", 24.4798, 118.0894, 5.3, 6),
    ("无锡", 31.4912, 120.3119, 7.5, 8),
    ("长春", 43.8171, 125.3235, 9.1, 8),
    ("石家庄", 38.0428, 114.5149, 11.2, 8),
    ("南宁", 22.8170, 108.3665, 8.8, 8),
    ("贵阳", 26.6470, 106.6302, 6.4, 7),
    ("南昌", 28.6820, 115.8579, 6.5, 7),
    ("太原", 37.8706, 112.5489, 5.4, 7),
    ("乌鲁木齐", 43.8256, 87.6168, 4.1, 7),
    ("兰州", 36.0611, 103.8343, 4.4, 6),
    ("呼和浩特", 40.8426, 111.7492, 3.5, 6),
    ("海口", 20.0440, 110.1999, 2.9, 6),
    ("拉萨", 29.6525, 91.1721, 0.9, 4),
    ("西宁", 36.6171, 101.7782, 2.5, 5),
    ("银川", 38.4872, 106.2309, 2.9, 5),
    ("徐州", 34.2044, 117.2859, 9.0, 8),
    ("温州", 27.9943, 120.6994, 9.6, 9),
    ("青阳县", 30.6390, 117.8470, 0.3, 3),
    ("东海县", 34.5420, 118.7520, 0.5, 3),
)

SYNTHETIC_OPERATORS: tuple[tuple[str, str, str, float], ...] = (
    ("synthetic-chain", "合成数据·连锁便利店", "chain", 0.45),
    ("synthetic-union", "合成数据·工会驿站", "union", 0.35),
    ("synthetic-party", "合成数据·党群服务站", "party_community", 0.12),
    ("synthetic-community", "合成数据·社区中心", "community_centre", 0.08),
)

SYNTHETIC_HOURS: tuple[tuple[str, float], ...] = (
    ("24/7", 0.30),
    ("Mo-Su 07:00-23:00", 0.20),
    ("Mo-Fr 08:30-17:30; PH off", 0.25),
    ("Mo-Sa 09:00-21:00", 0.12),
    ("22:00-06:00", 0.05),
    ("", 0.08),
)


def synthetic_points(count: int, seed: int):
    """Yield (city, lat, lng, operator index, hours, amenity mask) spread like China's cities."""
    rng = random.Random(seed)
    weights = [c[3] for c in CITIES]
    op_weights = [o[3] for o in SYNTHETIC_OPERATORS]
    hour_values = [h[0] for h in SYNTHETIC_HOURS]
    hour_weights = [h[1] for h in SYNTHETIC_HOURS]
    cities = rng.choices(range(len(CITIES)), weights=weights, k=count)
    for index in cities:
        name, c_lat, c_lng, _w, sigma_km = CITIES[index]
        # Dense centres, thinning suburbs: distance from centre is half-normal-ish.
        r = abs(rng.gauss(0, sigma_km * 1000))
        theta = rng.random() * 2 * math.pi
        lat, lng = _offset(c_lat, c_lng, r * math.cos(theta), r * math.sin(theta))
        yield (
            name,
            max(-90.0, min(90.0, lat)),
            lng,
            rng.choices(range(len(SYNTHETIC_OPERATORS)), weights=op_weights)[0],
            rng.choices(hour_values, weights=hour_weights)[0],
            rng.getrandbits(len(amenity_vocab.AMENITIES)) & amenity_vocab.ALL_MASK,
        )


def nearest_district(lat: float, lng: float, centres: list[tuple[int, float, float]], within_m: float) -> int | None:
    """Return the id of the nearest district centre within `within_m`, or None."""
    best, best_d = None, within_m
    for pk, c_lat, c_lng in centres:
        d = haversine_m(lat, lng, c_lat, c_lng)
        if d < best_d:
            best, best_d = pk, d
    return best

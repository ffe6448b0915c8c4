"""A realistic synthetic population of Chinese company names, with duplicates and typos.

Each entity is registered as 行政区划 + 字号 + 行业 + 组织形式:

* region: a real division from the shipped list (prefectures and counties most
  often, provinces sometimes), written in full;
* 字号: 2 characters (75 %), 3 (20 %) or 4 (5 %), drawn from ~400 characters that
  are common in 字号, with a Zipf-like weighting so that popular brands (华威, 鑫源 …)
  recur across many regions and trades, as in real registers;
* 行业: ~150 trade phrases (including some the matcher does not know);
* 组织形式: 有限公司, 有限责任公司, 股份有限公司, 集团有限公司 …

(region, 字号, 行业) is unique, as the registration rules require.  About 30 % of
entities get 1–3 further records written the ways people write names:
region dropped / short (东莞 for 东莞市) / in brackets after the 字号, legal form
dropped or shortened to 公司, only 字号 + 公司, stray spaces (ASCII or U+3000),
full-width brackets, a homophone typing error in the 字号 (海威 → 海伟), a
traditional-character form, an English name (pinyin 字号 + English trade).

    from synth import generate
    rows = generate(1_000_000, seed=1)   # [(id, name, credit_code or "", entity)]
"""

from __future__ import annotations

import random
import sys
from itertools import accumulate
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypinyin import Style, lazy_pinyin  # noqa: E402

from crm.domain.dedup.credit_code import check_character  # noqa: E402
from crm.domain.dedup.data import division_rows as _division_rows  # noqa: E402
from crm.domain.dedup.regions import short_form  # noqa: E402

BRAND_CHARS = (
    "华海盛恒鑫隆泰源兴达宏昌丰利通金新永荣瑞祥德嘉鸿中天安信宇顺威宝成远创博凯康晨力美鼎富聚和佳春光明"
    "盈立汇正升辉科长世亿万豪东方南北京广豫湘江河山峰林森泉润洁清雅庆福禄寿喜乐悦欣怡馨韵诚实友义"
    "仁智勇毅弘扬腾飞跃翔龙凤麒麟鹏鹰虎狮骏驰骐星月辰阳旭日晖曜亮灿烁炜烨煜彤红赤橙黄绿青蓝紫白"
    "银铜铁钢锦绣缘圆方正平和谐协合众群邦国家园庭居苑府阁楼台亭轩斋堂馆坊厂场港湾岛洲川谷原野田"
    "禾苗稻麦粟豆茂盛荣华富贵吉祥如意同心联创新锐先进优良精工匠品质尚格致远航帆舟船桥路途程捷速"
    "迅驿运输佳诺亚欧美澳加英法德意日韩泰越琪琳瑶璐璇瑾瑜珂珍珠玉翠碧晶莹亮彩虹霞雯雪霖露雨云风"
    "雷电霆震坤乾泽沛浩瀚洋波涛澜潮涌泓沣淼鑫焱垚森磊犇骉晶品众羴"
)
TRADES = (
    "纺织", "针织", "服饰", "服装", "丝绸", "家纺", "电子", "电子科技", "电气", "电器", "光电", "通信", "信息技术",
    "网络科技", "软件", "智能科技", "科技", "生物科技", "医药", "药业", "医疗器械", "保健品", "食品", "饮品",
    "粮油", "面业", "酒业", "农业科技", "农牧", "养殖", "茶业", "物流", "供应链管理", "运输", "仓储", "贸易",
    "商贸", "进出口", "建材", "新型建材", "建筑工程", "建设", "装饰工程", "石材", "水泥", "玻璃", "陶瓷",
    "钢结构", "钢铁", "金属制品", "铝业", "铜业", "矿业", "能源", "新能源", "光伏科技", "燃气", "石油化工",
    "化工", "塑料制品", "橡胶", "涂料", "新材料", "复合材料", "超硬材料", "碳素", "金刚石", "磨料磨具",
    "耐火材料", "纸业", "包装", "印刷", "机械", "机械设备", "起重机械", "重工", "机电", "汽车配件",
    "汽车零部件", "摩托车", "五金", "模具", "精密机械", "仪器仪表", "自动化设备", "环保科技", "水务",
    "节能科技", "旅游用品", "体育用品", "户外用品", "家具", "木业", "照明", "玩具", "工艺品", "饰品",
    "眼镜", "化妆品", "日用品", "房地产开发", "置业", "物业管理", "酒店管理", "餐饮管理", "旅游开发",
    "文化传媒", "广告", "教育科技", "咨询", "管理咨询", "投资", "投资管理", "担保", "融资租赁", "人力资源",
    "劳务", "安防科技", "检测", "设计", "会展服务", "健康管理", "养老服务", "家政服务", "实业", "发展",
    "工贸", "玻璃钢", "光学", "钟表", "乐器", "特种布", "美体内衣", "卫生材料", "保健器材", "电池", "线缆",
    "阀门", "泵业", "轴承", "管业", "半导体", "集成电路", "大数据科技", "云计算", "机器人", "无人机",
)
TRADE_EN = {
    "纺织": "Textile", "针织": "Knitting", "服饰": "Garments", "电子": "Electronics", "电子科技": "Electronic Technology",
    "科技": "Technology", "生物科技": "Biotechnology", "医药": "Pharmaceutical", "食品": "Foods", "物流": "Logistics",
    "贸易": "Trading", "化工": "Chemical", "机械": "Machinery", "新材料": "New Materials", "能源": "Energy",
    "建材": "Building Materials", "石材": "Stone", "包装": "Packaging", "家具": "Furniture", "玩具": "Toys",
}
LEGAL = (("有限公司", 60), ("有限责任公司", 18), ("股份有限公司", 8), ("集团有限公司", 6), ("科技有限公司", 0),
         ("集团股份有限公司", 2), ("有限合伙企业", 1), ("厂", 2), ("集团", 3))
TRADITIONAL = dict(zip("华东纺织电子广东莞业针贸药业机械设备术发达兴开银铁钢锦绣云风雷电涛澜泽沣龙凤鹏鹰骏驰晖烨庆乐欣诚实义仁",
                       "華東紡織電子廣東莞業針貿藥業機械設備術發達興開銀鐵鋼錦繡雲風雷電濤瀾澤灃龍鳳鵬鷹駿馳暉燁慶樂欣誠實義仁", strict=False))


def division_rows() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The shipped division list: each code's name, and the (code, name) rows in their order."""
    names: dict[str, str] = {}
    rows = []
    for code, name, status in _division_rows():
        if status != "current":
            continue
        names[code] = name
        rows.append((code, name))
    return names, rows


def _regions() -> tuple[list[str], list[float]]:
    """Region prefixes as registered: provinces, prefectures, counties; a district after its city."""
    names, rows = division_rows()
    out, weights = [], []
    for code, name in rows:
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        level = 1 if code.endswith("0000") else 2 if code.endswith("00") else 3
        if level == 3 and name.endswith("区"):
            parent = names.get(code[:4] + "00")
            if parent in (None, "市辖区"):
                parent = names.get(code[:2] + "0000")
            name = (parent or "") + name
        out.append(name)
        weights.append({1: 6.0, 2: 10.0, 3: 2.0}[level])
    return out, list(accumulate(weights))


def _short(name: str) -> str:
    """How people shorten a registered region: 东莞市 → 东莞, 深圳市南山区 → 深圳."""
    for city_end in ("市", "州", "盟"):
        i = name.find(city_end)
        if 0 < i < len(name) - 1 and name.endswith("区"):
            name = name[: i + 1]
            break
    return short_form(name) or name


def _homophones() -> dict[str, list[str]]:
    by_sound: dict[str, list[str]] = defaultdict(list)
    for ch in dict.fromkeys(BRAND_CHARS):
        by_sound[lazy_pinyin(ch, style=Style.NORMAL)[0]].append(ch)
    table = {}
    for chars in by_sound.values():
        for ch in chars:
            others = [c for c in chars if c != ch]
            if others:
                table[ch] = others
    return table


def _credit_code(rng: random.Random) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6)) + "".join(rng.choice(chars) for _ in range(9))
    return body + check_character(body)


def generate(n: int, seed: int = 1, dup_share: float = 0.30, code_share: float = 0.35) -> list[tuple[int, str, str, int]]:
    rng = random.Random(seed)
    region_names, region_weights = _regions()
    chars = list(dict.fromkeys(BRAND_CHARS))
    char_weights = list(accumulate(1.0 / (i + 8) ** 0.9 for i in range(len(chars))))
    rng.shuffle(chars)
    trade_weights = list(accumulate(1.0 / (i + 3) ** 0.6 for i in range(len(TRADES))))
    legal_forms, legal_weights = zip(*LEGAL, strict=True)
    legal_weights = list(accumulate(legal_weights))
    homophones = _homophones()

    rows: list[tuple[int, str, str, int]] = []
    taken: set[tuple[str, str, str]] = set()
    entity = 0
    next_id = 1
    while len(rows) < n:
        region = rng.choices(region_names, cum_weights=region_weights)[0]
        size = rng.choices((2, 3, 4), (75, 20, 5))[0]
        brand = "".join(rng.choices(chars, cum_weights=char_weights, k=size))
        trade = rng.choices(TRADES, cum_weights=trade_weights)[0]
        if (region, brand, trade) in taken or len(set(brand)) < len(brand):
            continue
        taken.add((region, brand, trade))
        legal = rng.choices(legal_forms, cum_weights=legal_weights)[0]
        code = _credit_code(rng) if rng.random() < code_share else ""
        entity += 1
        canonical = region + brand + trade + legal
        rows.append((next_id, canonical, code, entity))
        next_id += 1
        if rng.random() < dup_share:
            for _ in range(rng.choices((1, 2, 3), (60, 28, 12))[0]):
                if len(rows) >= n:
                    break
                name = _variant(rng, region, brand, trade, legal, homophones)
                rows.append((next_id, name, code if rng.random() < 0.3 else "", entity))
                next_id += 1
    return rows


def _variant(rng: random.Random, region: str, brand: str, trade: str, legal: str, homophones: dict[str, list[str]]) -> str:
    kind = rng.random()
    if kind < 0.05:  # English name
        pinyin = "".join(lazy_pinyin(brand, style=Style.NORMAL)).capitalize()
        en_trade = TRADE_EN.get(trade, "Industrial" if trade == "实业" else "")
        place = "".join(lazy_pinyin(_short(region), style=Style.NORMAL)).capitalize() + " " if rng.random() < 0.5 else ""
        return " ".join(w for w in (place.strip(), pinyin, en_trade, "Co., Ltd.") if w)
    b = brand
    if rng.random() < 0.25:  # homophone typing error
        positions = [i for i, ch in enumerate(b) if ch in homophones]
        if positions:
            i = rng.choice(positions)
            b = b[:i] + rng.choice(homophones[b[i]]) + b[i + 1 :]
    r = rng.random()
    if r < 0.30:
        head, tail = "", ""
    elif r < 0.55:
        head, tail = _short(region), ""
    elif r < 0.75:
        head, tail = "", rng.choice(("（", "(")) + _short(region) + rng.choice(("）", ")"))
    else:
        head, tail = region, ""
    l = rng.random()
    legal_out = legal if l < 0.5 else "公司" if l < 0.75 else ""
    t = trade
    if rng.random() < 0.12:  # 字号 only
        t, tail, legal_out = "", "", rng.choice(("公司", "集团", ""))
        if not head and rng.random() < 0.5:
            head = _short(region)
    name = head + b + t + tail + legal_out
    if rng.random() < 0.10:
        i = rng.randrange(1, len(name)) if len(name) > 1 else 0
        name = name[:i] + rng.choice((" ", "\u3000")) + name[i:]
    if rng.random() < 0.04:
        name = "".join(TRADITIONAL.get(ch, ch) for ch in name)
    if rng.random() < 0.05:
        name = " " + name + " "
    return name


if __name__ == "__main__":
    import csv

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    writer = csv.writer(sys.stdout)
    writer.writerow(["id", "name", "credit_code", "truth"])
    for row in generate(count):
        writer.writerow(row)

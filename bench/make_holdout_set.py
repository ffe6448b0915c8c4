"""Write a second labelled company-name set, held out from tuning: bench/data/companies-dedup-holdout.csv.

    .venv/bin/python bench/make_holdout_set.py [--seed 15] [--rows 3000]
    .venv/bin/python bench/make_holdout_set.py --fresh-trades     # the unseen set (seed 25)

``--fresh-trades`` writes bench/data/companies-dedup-unseen.csv the same way but with trades from
``FRESH_TRADES``, none of which the matcher's vocabulary knows (checked before writing): the
holdout's trades were added to the vocabulary after its misses were read, so only this set still
tests names whose trade is unknown.

Same columns as the dev set (``id,name,credit_code,truth``) and the same labelling
convention, studied on ``shared/data/companies-dedup-dev.csv``:

* one entity = one registration: 行政区划 + 字号 + 行业 (+ a branch).  Two entities with the
  same 字号 and another trade, or the same 字号 and trade in another region, are different
  companies (the dev set's 新顺物流 in 东莞 and in 郑州; 方昌机械 in 鲁山 and in 深圳);
* an entity's rows are spellings of that one name: full or short region in front, region in
  brackets after the trade, no region, another legal form or none, "X公司" / "X集团" without
  the trade, a homophone typing error of the 字号 (every dev typo is one: 恒尧/衡尧), a stray
  ideographic space, spaces around the name;
* a credit code on about a third of the rows, always the entity's own valid code.

What is new here — the vocabulary the dev set does not have (it has 13 regions: 北京, 上海, 广州,
深圳, 东莞, 郑州, 洛阳, 平顶山, 商丘, 鲁山, 柘城, 河南, and 24 trade words):

* other provinces' cities and counties and Henan's counties (长垣, 郏县, 宝丰, 叶县 …);
* other trades (GB/T 4754 categories: 家具, 阀门, 发制品, 食用菌 … — some of them surely
  unknown to any fixed vocabulary, as in a real register);
* 字号 from other characters;
* English names for about 15% of the true pairs ("Zhumadian Taibao Hoisting Machinery Company
  Limited", "Xinkang Carbon (Tongbai) Co., Ltd.", "(Group)", "Industrial");
* divisions renamed since (撤县设市 长垣县 → 长垣市, 撤县设区 许昌县 → 建安区, 撤地设市 那曲地区 → 那曲市,
  old ones such as 禹县 → 禹州市), the entity's rows using the old and the new name;
* traditional-character spellings, branch offices (a different entity from the parent), and
  hard negatives: shared 字号 across trades, twins in two regions.

This script was written before the matcher was changed for it and is not tuned to the
matcher's vocabulary (see docs/DEDUP.md "Quality").  ``--tags`` also writes
``companies-dedup-holdout.tags.csv`` (id,tags) that ``bench/dedup_quality.py`` reads for its
breakdown: ``english``, ``renamed-old`` / ``renamed-new`` (the row writes the division's former /
current name), ``traditional``, ``branch``.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crm.domain.dedup.credit_code import check_character  # noqa: E402 - the check digit, nothing else

OUT = ROOT / "bench" / "data" / "companies-dedup-holdout.csv"
OUT_UNSEEN = ROOT / "bench" / "data" / "companies-dedup-unseen.csv"
UNSEEN_SEED = 25
DIVISIONS = ROOT / "crm" / "domain" / "dedup" / "data" / "divisions.csv"

# 字号 characters: none of the dev set's (万 丰 兴 利 华 春 恒 惠 …); each with homophones for typos
BRAND_CHARS = {
    "鑫": "欣馨", "康": "慷", "泰": "太", "宝": "保豹", "明": "鸣铭", "金": "锦津", "瑞": "睿锐",
    "嘉": "佳家", "和": "合禾", "祥": "翔详", "鸿": "宏红", "晨": "辰宸", "博": "波", "凯": "楷铠",
    "正": "政征", "信": "芯", "安": "岸", "益": "亿艺怡", "天": "添", "宇": "雨羽", "豪": "浩皓",
    "鼎": "顶", "诚": "成城", "富": "福甫", "润": "闰", "旭": "序绪", "辉": "晖徽", "腾": "藤",
    "越": "悦跃", "汇": "慧", "聚": "巨炬", "美": "梅", "创": "闯", "卓": "灼", "志": "智致",
    "航": "杭", "鹏": "朋蓬", "达": "答", "佳": "嘉家", "亚": "雅", "银": "寅", "凤": "峰枫",
    "麒": "琪", "祥瑞": "", "雄": "熊", "俊": "骏", "弘": "洪", "毅": "艺", "华夏": "",
    "泓": "宏", "彩": "采", "蓝": "兰", "绿": "律", "嵩": "松", "豫": "玉", "正阳": "",
    "远": "", "大": "", "开": "凯", "三": "叁", "金桥": "", "新": "心", "特": "", "晶": "京经",
}
SINGLE = [c for c in BRAND_CHARS if len(c) == 1]

# (Chinese trade as registered, English forms) — GB/T 4754 categories the dev set does not use
TRADES = [
    ("家具", ["Furniture"]), ("陶瓷", ["Ceramics", "Ceramic"]), ("玻璃制品", ["Glass Products"]),
    ("纸业", ["Paper", "Paper Industry"]), ("印刷", ["Printing"]), ("包装", ["Packaging"]),
    ("塑料制品", ["Plastic Products"]), ("橡胶制品", ["Rubber Products"]), ("涂料", ["Coatings", "Paint"]),
    ("水泥", ["Cement"]), ("钢结构", ["Steel Structure"]), ("铝业", ["Aluminium", "Aluminum"]),
    ("铸造", ["Casting", "Foundry"]), ("阀门", ["Valve", "Valves"]), ("轴承", ["Bearing"]),
    ("泵业", ["Pump", "Pumps"]), ("电线电缆", ["Wire and Cable", "Cable"]), ("电机", ["Motor", "Electric Motor"]),
    ("光伏", ["Photovoltaic", "Solar"]), ("仪器仪表", ["Instrument", "Instruments and Meters"]),
    ("模具", ["Mould", "Mold"]), ("五金", ["Hardware"]), ("照明", ["Lighting"]), ("饲料", ["Feed"]),
    ("粮油", ["Grain and Oil"]), ("茶业", ["Tea"]), ("酒业", ["Wine", "Liquor"]), ("乳业", ["Dairy"]),
    ("种业", ["Seed", "Seeds"]), ("养殖", ["Breeding", "Aquaculture"]), ("园林", ["Landscape", "Garden"]),
    ("装饰工程", ["Decoration Engineering"]), ("农业", ["Agriculture", "Agricultural"]),
    ("环保", ["Environmental Protection"]), ("木业", ["Wood", "Wood Industry"]), ("皮革", ["Leather"]),
    ("鞋业", ["Shoes", "Footwear"]), ("箱包", ["Luggage", "Bags"]), ("玩具", ["Toys"]), ("文具", ["Stationery"]),
    ("工艺品", ["Handicrafts", "Crafts"]), ("眼镜", ["Optical", "Glasses"]), ("卫浴", ["Sanitary Ware"]),
    ("厨具", ["Kitchenware"]), ("家电", ["Home Appliances"]), ("发制品", ["Hair Products"]),
    ("食用菌", ["Edible Fungi", "Mushroom"]), ("钢丝绳", ["Steel Wire Rope"]), ("变压器", ["Transformer"]),
    ("锅炉", ["Boiler"]), ("刀具", ["Cutting Tools"]), ("保温材料", ["Insulation Materials"]),
    ("消防器材", ["Fire Equipment", "Fire Fighting Equipment"]), ("农业机械", ["Agricultural Machinery"]),
    ("耐火材料", ["Refractory Materials", "Refractories"]), ("不锈钢", ["Stainless Steel"]),
    ("铝型材", ["Aluminium Profiles"]), ("矿山机械", ["Mining Machinery"]), ("磨料磨具", ["Abrasives"]),
    ("蜂业", ["Bee Products"]), ("果蔬", ["Fruit and Vegetable"]), ("调味品", ["Condiment", "Seasoning"]),
    ("肉制品", ["Meat Products"]), ("棉业", ["Cotton"]), ("羽绒制品", ["Down Products"]), ("化肥", ["Fertilizer"]),
    ("农药", ["Pesticide"]), ("医疗器械", ["Medical Devices", "Medical Equipment"]),
    ("制冷设备", ["Refrigeration Equipment"]), ("电梯", ["Elevator"]), ("门业", ["Door", "Doors"]),
    ("石墨", ["Graphite"]), ("混凝土", ["Concrete"]), ("保健品", ["Health Products"]),
    ("电力设备", ["Power Equipment", "Electric Power Equipment"]), ("网络科技", ["Network Technology"]),
    ("软件", ["Software"]), ("防水材料", ["Waterproof Materials"]), ("汽车零部件", ["Auto Parts"]),
]

# Trades for the *unseen* set (``--fresh-trades``): in neither the list above nor the matcher's
# vocabulary (``check_fresh_trades`` asserts it), so the set tests names whose trade the matcher
# cannot know — as in a real register, whose trades no fixed list covers.  Chosen before any matcher
# change for them; some contain a known word (速冻食品, 发电机, 继电器), as real trades do.
FRESH_TRADES = [
    ("压缩机", ["Compressor", "Compressors"]), ("减速机", ["Gear Reducer", "Reducer"]), ("风机", ["Fan", "Blower"]),
    ("传感器", ["Sensor", "Sensors"]), ("电容器", ["Capacitor"]), ("继电器", ["Relay"]),
    ("冲压件", ["Stamping Parts", "Stampings"]), ("铝箔", ["Aluminium Foil", "Foil"]), ("纸箱", ["Carton", "Cartons"]),
    ("薄膜", ["Membrane"]), ("管件", ["Pipe Fittings", "Fittings"]), ("滤清器", ["Filter", "Filters"]),
    ("水处理", ["Water Treatment"]), ("净化", ["Purification"]), ("光纤", ["Optical Fiber", "Fiber Optic"]),
    ("锂电", ["Lithium Battery", "Lithium"]), ("拉链", ["Zipper", "Zippers"]), ("纽扣", ["Buttons", "Button"]),
    ("烘焙", ["Bakery", "Baking"]), ("速冻食品", ["Frozen Food", "Frozen Foods"]), ("冷链", ["Cold Chain"]),
    ("白酒", ["Baijiu", "Chinese Spirits"]), ("啤酒", ["Beer"]), ("矿泉水", ["Mineral Water"]),
    ("红枣", ["Red Dates", "Jujube"]), ("挂面", ["Noodles", "Noodle"]), ("豆制品", ["Bean Products", "Soybean Products"]),
    ("坚果", ["Nuts"]), ("轮胎", ["Tyre", "Tire"]), ("刹车片", ["Brake Pads"]), ("散热器", ["Radiator", "Radiators"]),
    ("螺丝", ["Screws", "Screw"]), ("砂轮", ["Grinding Wheel", "Grinding Wheels"]), ("胶带", ["Adhesive Tape", "Tape"]),
    ("标签", ["Labels", "Label"]), ("口罩", ["Masks", "Face Masks"]), ("无人机", ["Drone", "UAV"]),
    ("线束", ["Wire Harness", "Harness"]), ("连接器", ["Connector", "Connectors"]),
    ("变频器", ["Inverter", "Frequency Converter"]), ("发电机", ["Generator", "Generators"]),
    ("叉车", ["Forklift", "Forklifts"]), ("挖掘机", ["Excavator"]), ("石英", ["Quartz"]), ("硅胶", ["Silicone"]),
    ("泡沫", ["Foam"]), ("地板", ["Flooring", "Floor"]), ("瓷砖", ["Tiles", "Tile"]), ("香精", ["Flavors", "Fragrance"]),
    ("胶囊", ["Capsules", "Capsule"]), ("纱线", ["Yarn", "Yarns"]), ("毛巾", ["Towels", "Towel"]), ("睫毛", ["Eyelashes"]),
]


def check_fresh_trades() -> None:
    """Fail unless every fresh trade is unknown: not a trade word (nor made only of trade words), not in
    TRADES, and every English form has a word the English vocabulary does not know."""
    from crm.domain.dedup.normalise import split_trade
    from crm.domain.dedup.vocabulary import ENGLISH_FILLERS, ENGLISH_LEGAL, ENGLISH_TRADES, TRADE_WORDS

    known_words = set(TRADE_WORDS)
    old = {t for t, _ in TRADES}
    english_known = set(ENGLISH_TRADES) | ENGLISH_LEGAL | ENGLISH_FILLERS
    for trade, forms in FRESH_TRADES:
        if trade in known_words or trade in old:
            raise SystemExit(f"{trade} is a known trade")
        if all(w in known_words for w in split_trade(trade)):
            raise SystemExit(f"{trade} is made of known trade words")
        for form in forms:
            words = form.lower().split()
            if form.lower() in ENGLISH_TRADES:
                raise SystemExit(f"{form} is a known English trade")
            if all(w in english_known for w in words):
                raise SystemExit(f"{form} is made of known English words")


# (region as registered, English) — no dev-set region; Henan's counties and cities, other provinces
PLACES = [
    # Henan counties and county-level cities (平顶山's 郏县, 宝丰, 叶县; 长垣 …)
    "郏县", "宝丰县", "叶县", "舞钢市", "汝州市", "禹州市", "长葛市", "鄢陵县", "新密市", "巩义市", "登封市",
    "西平县", "遂平县", "确山县", "泌阳县", "桐柏县", "淅川县", "镇平县", "固始县", "潢川县", "项城市",
    "鹿邑县", "林州市", "卫辉市", "灵宝市", "新郑市", "荥阳市", "邓州市", "永城市", "长垣市",
    # Henan prefectures
    "驻马店市", "许昌市", "南阳市", "信阳市", "周口市", "安阳市", "新乡市", "焦作市", "漯河市", "三门峡市",
    # other provinces
    "福州市", "厦门市", "泉州市", "晋江市", "石狮市", "莆田市", "杭州市", "义乌市", "温州市", "绍兴市",
    "诸暨市", "永康市", "宁波市", "慈溪市", "苏州市", "昆山市", "江阴市", "常州市", "南通市", "无锡市",
    "济南市", "潍坊市", "临沂市", "淄博市", "寿光市", "石家庄市", "保定市", "唐山市", "沧州市", "武汉市",
    "宜昌市", "长沙市", "株洲市", "成都市", "绵阳市", "合肥市", "芜湖市", "南昌市", "景德镇市", "西安市",
    "太原市", "沈阳市", "大连市", "重庆市", "天津市", "南宁市", "柳州市", "昆明市", "贵阳市",
    # provinces (a province-level registration, as the dev set's 河南省X)
    "福建省", "浙江省", "江苏省", "山东省", "河北省", "湖北省", "湖南省", "四川省", "安徽省", "江西省",
]
SEED_COUNTIES = ["鲁山县", "柘城县"]  # the seed reports' own two counties the dev set also has: a few

# divisions renamed: (former name, current name, kind); the entity's rows use either
RENAMED = [
    ("长垣县", "长垣市", "撤县设市"), ("偃师市", "偃师区", "撤市设区"), ("孟津县", "孟津区", "撤县设区"),
    ("淮阳县", "淮阳区", "撤县设区"), ("那曲地区", "那曲市", "撤地设市"), ("林芝地区", "林芝市", "撤地设市"),
    ("吐鲁番地区", "吐鲁番市", "撤地设市"), ("哈密地区", "哈密市", "撤地设市"), ("富阳市", "富阳区", "撤市设区"),
    ("临安市", "临安区", "撤市设区"), ("长乐市", "长乐区", "撤市设区"), ("即墨市", "即墨区", "撤市设区"),
    ("章丘市", "章丘区", "撤市设区"), ("吴江市", "吴江区", "撤市设区"), ("江都市", "江都区", "撤市设区"),
    ("姜堰市", "姜堰区", "撤市设区"), ("新郑县", "新郑市", "撤县设市"), ("荥阳县", "荥阳市", "撤县设市"),
    ("登封县", "登封市", "撤县设市"), ("长葛县", "长葛市", "撤县设市"), ("永城县", "永城市", "撤县设市"),
    # complete renames: the name changes, not only its last character
    ("许昌县", "建安区", "撤县设区"), ("禹县", "禹州市", "撤县设市"), ("临汝县", "汝州市", "撤县设市"),
    ("巩县", "巩义市", "撤县设市"), ("密县", "新密市", "撤县设市"), ("汲县", "卫辉市", "撤县设市"),
    ("林县", "林州市", "撤县设市"), ("开封县", "祥符区", "撤县设区"), ("陕县", "陕州区", "撤县设区"),
    ("邓县", "邓州市", "撤县设市"), ("襄樊市", "襄阳市", "更名"), ("思茅市", "普洱市", "更名"),
    ("大庸市", "张家界市", "更名"), ("崇安县", "武夷山市", "撤县设市"), ("鄞县", "鄞州区", "撤县设区"),
]

# English place names (pinyin of the short form; the usual spelling where pypinyin reads otherwise)
PLACE_ENGLISH = {"长垣": "Changyuan", "长葛": "Changge", "长沙": "Changsha", "重庆": "Chongqing",
                 "泌阳": "Biyang", "厦门": "Xiamen", "西安": "Xi'an", "长乐": "Changle", "郏县": "Jiaxian",
                 "叶县": "Yexian", "陕州": "Shanzhou", "单县": "Shanxian"}
PROVINCE_ENGLISH = {"山西省": "Shanxi", "陕西省": "Shaanxi"}

LEGAL = ["有限公司"] * 6 + ["有限责任公司"] * 2 + ["股份有限公司"] * 2 + ["集团有限公司"]
EN_LEGAL = ["Co., Ltd.", "Co.,Ltd", "Co., Ltd", "Company Limited", "Co. Ltd.", "CO., LTD."]
SUFFIXES = ("自治区", "地区", "省", "市", "县", "区")


def load_codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    with DIVISIONS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["status"] == "current":
                codes.setdefault(row["name"], row["code"])
    return codes


def short(full: str) -> str:
    for s in SUFFIXES:
        if full.endswith(s) and len(full) - len(s) >= 2:
            return full[: -len(s)]
    return full  # 郏县, 叶县: a one-character stem keeps its 县


def english_place(full: str) -> str:
    if full in PROVINCE_ENGLISH:
        return PROVINCE_ENGLISH[full]
    stem = short(full)
    if stem in PLACE_ENGLISH:
        return PLACE_ENGLISH[stem]
    return "".join(lazy_pinyin(stem, style=Style.NORMAL)).capitalize()


def credit_code(rng: random.Random, region_code: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + region_code + "".join(rng.choice(alphabet) for _ in range(9))
    return body + check_character(body)


class Generator:
    def __init__(self, seed: int, trades: list[tuple[str, list[str]]] | None = None) -> None:
        self.rng = random.Random(seed)
        self.trades = trades or TRADES
        self.codes = load_codes()
        self.s2t = OpenCC("s2t")
        self.used_codes: set[str] = set()
        chars = SINGLE
        combos = [a + b for a in chars for b in chars if a != b]
        self.rng.shuffle(combos)
        multi = [c for c in BRAND_CHARS if len(c) == 2]
        # a small pool, so that 字号 repeat across trades and regions as in a real register
        self.brands = combos[:650] + multi + [a + b + c for a, b, c in (self.rng.sample(chars, 3) for _ in range(80))]

    # -- an entity ---------------------------------------------------------------
    def entity(self) -> dict:
        rng = self.rng
        r = rng.random()
        renamed = None
        if r < 0.14:
            renamed = rng.choice(RENAMED)
            region = renamed[1]
        elif r < 0.17:
            region = rng.choice(SEED_COUNTIES)
        elif r < 0.28:
            region = rng.choice(PLACES[-10:])
        else:
            region = rng.choice(PLACES[:-10])
        trade, english = rng.choice(self.trades)
        return {"brand": rng.choice(self.brands), "trade": trade, "english": english, "region": region,
                "renamed": renamed, "legal": rng.choice(LEGAL), "code": self.new_code(region)}

    def new_code(self, region: str) -> str:
        while True:
            code = credit_code(self.rng, self.codes.get(region, "410000"))
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    # -- spellings -------------------------------------------------------------
    def region_forms(self, e: dict) -> tuple[str, str, str]:
        """(full, short, tag) as this row writes the region: the former or the current name."""
        renamed = e["renamed"]
        # a complete rename (许昌县 → 建安区): the old short form would be another division's
        # (许昌 is the prefecture), and a new district is not written by its stem alone (建安)
        complete = renamed and short(renamed[0]) != short(renamed[1])
        if renamed and self.rng.random() < 0.5:
            old = renamed[0]
            return old, old if complete else short(old), "renamed-old"
        full = e["region"]
        sh = full if complete and full.endswith("区") else short(full)
        return full, sh, "renamed-new" if renamed else ""

    def typo(self, brand: str) -> str:
        options = [(i, h) for i, ch in enumerate(brand) for h in BRAND_CHARS.get(ch, "")]
        if not options:
            return brand
        i, h = self.rng.choice(options)
        return brand[:i] + h + brand[i + 1 :]

    def chinese(self, e: dict, first: bool) -> tuple[str, set[str]]:
        rng = self.rng
        full, sh, tag = self.region_forms(e)
        tags = {tag} if tag else set()
        brand = e["brand"] if first or rng.random() > 0.12 else self.typo(e["brand"])
        bt = brand + e["trade"]
        legal = e["legal"]
        if first:
            name = full + bt + legal
        else:
            form = rng.random()
            if form < 0.25:
                name = full + bt + legal
            elif form < 0.40:
                name = sh + bt + legal
            elif form < 0.55:
                name = bt + rng.choice("（(") + sh + rng.choice("）)") + legal
            elif form < 0.65:
                name = bt + legal
                tags -= {"renamed-old", "renamed-new"}
            elif form < 0.73:
                name = bt
                tags -= {"renamed-old", "renamed-new"}
            elif form < 0.82:
                name = rng.choice((sh, full)) + bt + "公司"
            elif form < 0.90:
                name = sh + brand + "公司"
            elif form < 0.93:
                name = full + brand + "集团"
            else:
                parent = self.parent_prefecture(e)
                name = (parent + full + bt + legal) if parent else (full + bt + legal)
        if rng.random() < 0.05:
            name = self.s2t.convert(name)
            tags.add("traditional")
        if rng.random() < 0.03:
            i = rng.randrange(1, len(name))
            name = name[:i] + "\u3000" + name[i:]
        if rng.random() < 0.02:
            name = " " + name + " "
        return name, tags

    def parent_prefecture(self, e: dict) -> str:
        code = self.codes.get(e["region"], "")
        if len(code) != 6 or code.endswith("00"):
            return ""
        for name, c in self.codes.items():
            if c == code[:4] + "00":
                return name
        return ""

    def english(self, e: dict) -> str:
        rng = self.rng
        syllables = lazy_pinyin(e["brand"], style=Style.NORMAL)
        brand = "".join(syllables).capitalize() if rng.random() < 0.85 else " ".join(s.capitalize() for s in syllables)
        trade = rng.choice(e["english"])
        place = english_place(e["region"])
        legal = rng.choice(EN_LEGAL)
        form = rng.random()
        if form < 0.35:
            name = f"{place} {brand} {trade} {legal}"
        elif form < 0.55:
            name = f"{brand} {trade} ({place}) {legal}"
        elif form < 0.67:
            name = f"{brand} {trade} {legal}"
        elif form < 0.79:
            name = f"{place} {brand} {trade} {rng.choice(['Group', '(Group)'])} {legal}"
        elif form < 0.91:
            name = f"{place} {brand} {trade} Industrial {legal}"
        else:
            name = f"{brand} {trade} {rng.choice(['Group', 'Industrial'])} {legal}"
        if rng.random() < 0.1:
            name = name.upper()
        return name

    # -- the set ---------------------------------------------------------------
    def build(self, rows: int) -> list[tuple[str, str, str, set[str]]]:
        rng = self.rng
        out: list[tuple[str, str, str, set[str]]] = []  # name, code, truth, tags
        n = 0
        while len(out) < rows:
            n += 1
            e = self.entity()
            size = rng.choices((1, 2, 3, 4), weights=(850, 386, 262, 148))[0]
            entities = [(f"H{n}", e, size)]
            r = rng.random()
            if r < 0.05:  # a twin: same 字号 and trade, another region (another company)
                twin = dict(e, region=rng.choice([p for p in PLACES if p != e["region"]]), renamed=None)
                twin["code"] = self.new_code(twin["region"])
                n += 1
                entities.append((f"H{n}", twin, rng.choice((1, 2))))
            elif r < 0.10:  # the same 字号 in another trade (another company)
                other = dict(e, trade=rng.choice([t for t, _ in self.trades if t != e["trade"]]), english=None)
                other["english"] = dict(self.trades)[other["trade"]]
                other["code"] = self.new_code(other["region"])
                n += 1
                entities.append((f"H{n}", other, rng.choice((1, 2))))
            elif r < 0.13:  # a branch office of this company (another registration)
                n += 1
                entities.append((f"H{n}", dict(e, branch=rng.choice(PLACES[:-10]), code=self.new_code(e["region"])),
                                 rng.choice((1, 2))))
            for truth, ent, count in entities:
                english_row = count >= 2 and "branch" not in ent and rng.random() < 0.235
                for i in range(count):
                    if english_row and i == count - 1:
                        name, tags = self.english(ent), {"english"}
                    elif "branch" in ent:
                        name, tags = self.branch(ent, first=i == 0)
                    else:
                        name, tags = self.chinese(ent, first=i == 0)
                    code = ent["code"] if rng.random() < 0.37 else ""
                    out.append((name, code, truth, tags))
        out = out[:rows]
        rng.shuffle(out)
        return out

    def branch(self, e: dict, first: bool) -> tuple[str, set[str]]:
        parent = e["region"] + e["brand"] + e["trade"] + e["legal"]
        where = e["branch"] if first or self.rng.random() < 0.5 else short(e["branch"])
        return parent + where + "分公司", {"branch"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, help=f"default 15; {UNSEEN_SEED} with --fresh-trades")
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--output", type=Path, help=f"default {OUT.name}; {OUT_UNSEEN.name} with --fresh-trades")
    parser.add_argument("--fresh-trades", action="store_true",
                        help="draw trades from FRESH_TRADES (unknown to the matcher's vocabulary): the unseen set")
    args = parser.parse_args(argv)
    if args.fresh_trades:
        check_fresh_trades()
        seed, output, trades = UNSEEN_SEED if args.seed is None else args.seed, args.output or OUT_UNSEEN, FRESH_TRADES
    else:
        seed, output, trades = 15 if args.seed is None else args.seed, args.output or OUT, TRADES
    args.output = output
    rows = Generator(seed, trades).build(args.rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "credit_code", "truth"])
        for i, (name, code, truth, _tags) in enumerate(rows, 1):
            w.writerow([i, name, code, truth])
    tags_path = args.output.with_suffix(".tags.csv")
    with tags_path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "tags"])
        for i, (_name, _code, _truth, tags) in enumerate(rows, 1):
            if tags:
                w.writerow([i, " ".join(sorted(tags))])
    print(f"{len(rows)} rows, {len({t for _, _, t, _ in rows})} entities -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

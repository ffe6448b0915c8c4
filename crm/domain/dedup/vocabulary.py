"""Word lists for company names: legal forms, branch markers, trade (行业) words.

These are general vocabulary of Chinese company registration (企业名称登记管理规定:
行政区划 + 字号 + 行业或经营特点 + 组织形式), not tuned to any data set.
"""

from __future__ import annotations

# 组织形式 and words that say nothing about which company it is.  Stripped from the
# end of the name, repeatedly (…集团股份有限公司 → …).
LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "有限公司", "责任有限公司", "股份合作公司", "股份公司",
    "集团公司", "总公司", "公司", "有限合伙企业", "普通合伙企业", "合伙企业", "个人独资企业",
    "有限合伙", "普通合伙", "特殊普通合伙", "专业合作社", "合作社", "个体工商户",
    "集团", "控股", "股份", "有限", "责任", "总部", "总厂", "企业",
)

# Words that make a name a branch (分支机构).  A branch is registered separately, has its
# own credit code and is *not* the same company as its parent.
BRANCH_MARKERS = (
    "分公司", "分厂", "分店", "分部", "办事处", "营业部", "经营部", "分行", "支行", "分社",
    "分所", "分院", "分中心", "分场", "代表处", "联络处", "工作站",
)

# 行业 words, from GB/T 4754 门类/大类 vocabulary and the forms names use.
TRADE_WORDS = (
    # 纺织服装
    "纺织", "纺织品", "针织", "针纺", "丝绸", "家纺", "印染", "化纤", "棉纺", "毛纺", "织造", "服饰", "服装",
    "制衣", "时装", "内衣", "美体", "鞋业", "制鞋", "皮革", "皮具", "箱包", "布业", "特种布", "无纺布",
    # 电子信息
    "电子", "电器", "电气", "电力", "电工", "电缆", "电线", "光电", "光电子", "通信", "通讯", "信息",
    "信息技术", "网络", "网络科技", "软件", "数据", "大数据", "云计算", "智能", "人工智能", "半导体",
    "集成电路", "微电子", "互联网", "电子商务", "电商", "物联网", "数码", "计算机", "计算机系统", "系统", "系统集成",
    # 科技 / 生物 / 医药
    "科技", "技术", "高科技", "高新技术", "生物", "生物科技", "生物技术", "生物工程", "医药", "药业", "制药",
    "医疗", "医疗器械", "器械", "医学", "保健", "保健品", "保健器材", "器材", "健康", "生命科学", "卫生材料",
    "卫材", "中药", "中药材", "药材", "药品", "卫生用品",
    # 食品农业
    "食品", "饮料", "饮品", "酒业", "酿酒", "酿造", "粮油", "面业", "面粉", "米业", "油脂", "乳业", "乳品",
    "肉类", "肉食", "调味品", "农业", "农牧", "牧业", "畜牧", "养殖", "种业", "种植", "林业", "渔业",
    "果业", "果品", "茶业", "茶叶", "农产品", "农副产品", "生态农业", "农业科技", "饲料", "肥业", "化肥",
    "烟草", "糖业",
    # 物流商贸
    "物流", "运输", "快递", "供应链", "仓储", "货运", "航运", "船务", "贸易", "商贸", "工贸", "进出口",
    "国际贸易", "经贸", "商业", "零售", "超市", "百货", "批发", "连锁", "电器销售",
    # 建筑建材
    "建材", "新型建材", "建筑", "建设", "建工", "工程", "建筑工程", "装饰", "装饰工程", "装修", "石材",
    "石业", "水泥", "玻璃", "陶瓷", "瓷业", "砖业", "钢构", "钢结构", "门窗", "防水", "幕墙", "市政",
    "路桥", "园林", "绿化",
    # 冶金材料化工
    "钢铁", "钢业", "特钢", "金属", "有色金属", "铝业", "铜业", "锌业", "镁业", "矿业", "冶金", "铸造",
    "锻造", "天然气", "石油天然气", "能源", "新能源", "光伏", "电池", "储能", "风电", "热力", "燃气", "石油", "石化", "化工",
    "化学", "化学品", "塑料", "塑胶", "塑业", "橡胶", "涂料", "油漆", "材料", "新材料", "复合材料",
    "超硬材料", "碳素", "炭素", "金刚石", "磨料", "磨具", "耐火材料", "纸业", "造纸", "包装", "印刷",
    "彩印", "胶业",
    # 机械装备
    "机械", "机电", "设备", "装备", "重工", "重型机械", "起重", "起重机械", "起重设备", "机床", "汽车",
    "汽车配件", "汽车零部件", "汽配", "配件", "零部件", "车业", "车辆", "摩托车", "电动车", "五金",
    "工具", "模具", "精密", "精工", "仪器", "仪表", "自动化", "机器人", "阀门", "泵业", "轴承", "管业",
    "管道", "线缆", "电机", "动力", "船舶", "航空", "制造", "智能制造", "智能装备", "制品", "实验设备",
    # 环保公用
    "环保", "环境", "环保科技", "水务", "节能", "净水", "污水处理", "再生资源", "固废",
    # 轻工消费
    "用品", "日用品", "旅游用品", "体育用品", "运动用品", "户外用品", "家具", "木业", "家居", "照明",
    "灯饰", "玩具", "工艺品", "工艺", "饰品", "珠宝", "首饰", "眼镜", "化妆品", "日化", "文具", "乐器",
    "宠物用品", "母婴用品", "卫浴", "厨具", "家电",
    # 服务
    "房地产", "房地产开发", "置业", "地产", "物业", "物业管理", "酒店", "宾馆", "餐饮", "旅游", "文旅",
    "文化", "文化传媒", "传媒", "广告", "影视", "教育", "培训", "咨询", "管理", "管理咨询", "服务",
    "投资", "投资管理", "金融", "资本", "基金", "担保", "保险", "银行", "证券", "信托", "租赁",
    "融资租赁", "人力资源", "劳务", "安装", "安防", "保安", "检测", "认证", "设计", "规划", "会展",
    "体育", "健身", "医院", "养老", "家政", "清洁", "会计", "律师", "法律", "知识产权",
    # generic (经营特点)
    "实业", "发展", "产业", "工业", "开发", "销售", "生产", "加工", "经营", "供应", "创新", "国际",
    "商务", "企业管理", "研究院", "研究所", "研发", "工厂", "产品", "中心",
    # more GB/T 4754 大类/中类 vocabulary (制造业 C13–C43, 农林牧渔 A, 建筑 E): the forms names use
    "不锈钢", "钢材", "钢管", "钢丝", "钢丝绳", "型材", "铝型材", "合金", "稀土", "硅业", "钛业", "钨业",
    "煤业", "煤炭", "焦化", "煤化工", "盐化", "粉末冶金", "热处理", "电镀", "金属制品", "紧固件",
    "标准件", "弹簧", "齿轮", "链条", "液压", "气动", "密封件", "焊材", "刀具", "量具", "磨料磨具",
    "锅炉", "变压器", "电梯", "输变电", "电力设备", "开关", "仪器仪表", "衡器", "光学", "制冷", "制冷设备",
    "空调", "消防", "消防器材", "消防设备", "农机", "农业机械", "矿山机械", "工程机械", "包装机械",
    "食品机械", "纺织机械", "环保设备", "玻璃制品", "塑料制品", "橡胶制品", "木制品", "竹木", "竹业",
    "纸制品", "纸品", "混凝土", "商品混凝土", "砂浆", "保温", "保温材料", "防水材料", "石墨", "门业",
    "发制品", "假发", "食用菌", "菌业", "蜂业", "蜂产品", "果蔬", "蔬菜", "水果", "肉制品", "肉食品",
    "水产", "水产品", "禽业", "蛋业", "棉业", "棉花", "麻纺", "羽绒", "羽绒制品", "农药", "兽药", "生物制品",
    "试剂", "敷料", "中药饮片", "种苗", "花卉", "苗木", "袜业", "童装", "女装", "绣品", "刺绣", "伞业",
    "帽业", "手套", "鞋材", "毛皮", "床上用品", "窗帘", "地毯", "灯具", "洗涤用品", "办公用品",
    "文化用品", "办公家具", "烟花爆竹", "蜡业", "线材",
)

# Trade words that do not tell what a company does: "海威实业" may well be the
# same company as "海威纺织", so such a trade is neither the same nor different.
GENERIC_TRADES = frozenset({
    "实业", "发展", "产业", "工业", "开发", "销售", "生产", "加工", "经营", "供应", "创新", "国际",
    "商务", "科技", "技术", "高科技", "高新技术", "贸易", "商贸", "工贸", "经贸", "进出口", "国际贸易",
    "投资", "投资管理", "管理", "企业管理", "服务", "制造", "制品", "产品", "工厂", "研发",
    "用品", "工程", "设备", "材料", "信息", "智能", "中心",
})

# English legal forms and noise words, stripped anywhere after the first word.
ENGLISH_LEGAL = frozenset({
    "co", "company", "companies", "ltd", "limited", "inc", "incorporated", "corp", "corporation",
    "gmbh", "llc", "llp", "lp", "plc", "sa", "ag", "bv", "nv", "pte", "pty", "srl", "sarl", "spa",
    "kg", "oy", "ab", "kk", "group", "holdings", "holding", "the", "of", "and", "jsc", "pvt",
    "private", "public", "ltda", "sl", "se", "cie", "enterprise", "enterprises",
})

# English trade words → the Chinese trade word, so that "Haiwei Textile Co., Ltd." meets 海威纺织.
ENGLISH_TRADES = {
    "textile": "纺织", "textiles": "纺织", "knitting": "针织", "knitwear": "针织", "silk": "丝绸",
    "garment": "服饰", "garments": "服饰", "apparel": "服饰", "clothing": "服装", "fashion": "服饰",
    "electronic": "电子", "electronics": "电子", "electric": "电气", "electrical": "电气",
    "technology": "科技", "technologies": "科技", "tech": "科技", "biotech": "生物科技",
    "biotechnology": "生物科技", "pharmaceutical": "医药", "pharmaceuticals": "医药", "pharma": "医药",
    "medical": "医疗", "food": "食品", "foods": "食品", "logistics": "物流", "trading": "贸易",
    "trade": "贸易", "import": "进出口", "export": "进出口", "chemical": "化工", "chemicals": "化工",
    "machinery": "机械", "machine": "机械", "equipment": "设备", "materials": "材料", "material": "材料",
    "energy": "能源", "stone": "石材", "building": "建材", "construction": "建设", "steel": "钢铁",
    "metal": "金属", "metals": "金属", "mining": "矿业", "auto": "汽车", "automotive": "汽车",
    "parts": "配件", "industrial": "实业", "industries": "实业", "industry": "实业",
    "investment": "投资", "development": "发展", "international": "国际", "packaging": "包装",
    "printing": "印刷", "paper": "纸业", "furniture": "家具", "toys": "玩具", "plastic": "塑料",
    "plastics": "塑料", "rubber": "橡胶", "software": "软件", "network": "网络", "information": "信息",
    "environmental": "环保", "carbon": "碳素", "sporting": "体育用品", "sports": "体育用品",
    "goods": "用品", "products": "制品", "manufacturing": "制造", "hotel": "酒店", "media": "传媒",
    "culture": "文化", "tourism": "旅游", "travel": "旅游", "agriculture": "农业", "agricultural": "农业",
}

# Two-word English trade names (GB/T 4754's English category names and the forms company names
# use), looked up before single words: "Hoisting Machinery" is 起重机械, not 起重 + 机械.
ENGLISH_TRADES.update({
    "superhard materials": "超硬材料", "superhard": "超硬材料", "hoisting machinery": "起重机械",
    "lifting machinery": "起重机械", "hoisting equipment": "起重设备", "lifting equipment": "起重设备",
    "hoisting": "起重", "lifting": "起重", "crane": "起重机械", "cranes": "起重机械",
    "medical materials": "卫生材料", "medical material": "卫生材料", "sanitary materials": "卫生材料",
    "medical devices": "医疗器械", "medical device": "医疗器械", "medical instruments": "医疗器械",
    "medical equipment": "医疗器械", "building materials": "建材", "building material": "建材",
    "new materials": "新材料", "new material": "新材料", "composite materials": "复合材料",
    "refractory materials": "耐火材料", "refractories": "耐火材料", "refractory": "耐火材料",
    "new energy": "新能源", "real estate": "房地产", "property management": "物业管理",
    "supply chain": "供应链", "auto parts": "汽车配件", "human resources": "人力资源",
    "electric power": "电力", "power": "电力", "cable": "电缆", "cables": "线缆", "wire": "电线",
    "valve": "阀门", "valves": "阀门", "pump": "泵业", "pumps": "泵业", "bearing": "轴承", "bearings": "轴承",
    "pipe": "管业", "pipes": "管业", "ceramic": "陶瓷", "ceramics": "陶瓷", "glass": "玻璃", "cement": "水泥",
    "coating": "涂料", "coatings": "涂料", "paint": "涂料", "fertilizer": "化肥", "fertilizers": "化肥",
    "feed": "饲料", "seed": "种业", "seeds": "种业", "tea": "茶业", "wine": "酒业", "brewery": "酿酒",
    "beverage": "饮料", "beverages": "饮料", "dairy": "乳业", "meat": "肉食", "grain": "粮油", "flour": "面粉",
    "forestry": "林业", "fishery": "渔业", "animal husbandry": "畜牧", "husbandry": "畜牧", "breeding": "养殖",
    "mould": "模具", "mold": "模具", "moulds": "模具", "molds": "模具", "hardware": "五金", "tools": "工具",
    "instrument": "仪器", "instruments": "仪器", "meters": "仪表", "automation": "自动化", "robot": "机器人",
    "robotics": "机器人", "motor": "电机", "motors": "电机", "battery": "电池", "batteries": "电池",
    "photovoltaic": "光伏", "solar": "光伏", "semiconductor": "半导体", "optoelectronic": "光电",
    "optoelectronics": "光电", "communication": "通信", "communications": "通信", "telecom": "通信",
    "shipping": "航运", "transport": "运输", "transportation": "运输", "warehousing": "仓储",
    "consulting": "咨询", "consultancy": "咨询", "management": "管理", "advertising": "广告",
    "education": "教育", "training": "培训", "design": "设计", "testing": "检测", "inspection": "检测",
    "engineering": "工程", "decoration": "装饰", "landscape": "园林", "environmental protection": "环保",
    "environment": "环境", "recycling": "再生资源", "dyeing": "印染", "weaving": "织造", "nonwoven": "无纺布",
    "leather": "皮革", "shoes": "鞋业", "footwear": "鞋业", "luggage": "箱包", "bags": "箱包",
    "home textile": "家纺", "home textiles": "家纺", "lighting": "照明", "jewelry": "珠宝", "jewellery": "珠宝",
    "cosmetics": "化妆品", "stationery": "文具", "crafts": "工艺品", "handicrafts": "工艺品",
    "aluminium": "铝业", "aluminum": "铝业", "copper": "铜业", "casting": "铸造", "forging": "锻造",
    "nonferrous metals": "有色金属", "petroleum": "石油", "petrochemical": "石化", "natural gas": "天然气",
    "gas": "燃气", "biological": "生物", "bio": "生物", "health": "健康", "healthcare": "健康",
    "hospital": "医院", "catering": "餐饮", "supermarket": "超市", "commercial": "商贸", "ecommerce": "电商",
    "internet": "互联网", "intelligent": "智能", "smart": "智能", "digital": "数码", "computer": "计算机",
    "finance": "金融", "financial": "金融", "leasing": "租赁", "insurance": "保险", "capital": "资本",
    "fund": "基金", "property": "房地产", "properties": "房地产", "cultural": "文化", "film": "影视",
    "fitness": "健身", "pet products": "宠物用品", "daily chemical": "日化", "kitchenware": "厨具",
    "sanitary ware": "卫浴", "home appliances": "家电", "appliances": "电器", "appliance": "电器",
    "wood": "木业", "timber": "木业", "abrasives": "磨料", "abrasive": "磨料", "diamond": "金刚石",
    "garment accessories": "服饰", "knitted": "针织", "apparels": "服饰", "pharmacy": "药业",
    "drug": "药业", "drugs": "药业", "biopharmaceutical": "生物医药", "seafood": "食品",
})

# More GB/T 4754 category names in English, with the word pairs and triples companies use
# ("and" is dropped before the look-up: "Wire and Cable" is looked up as "wire cable").
ENGLISH_TRADES.update({
    "stainless steel": "不锈钢", "steel wire rope": "钢丝绳", "wire rope": "钢丝绳", "steel wire": "钢丝",
    "steel pipe": "钢管", "steel pipes": "钢管", "steel structure": "钢结构", "alloy": "合金", "rare earth": "稀土",
    "aluminium profiles": "铝型材", "aluminum profiles": "铝型材", "aluminium profile": "铝型材", "profiles": "型材",
    "coal": "煤炭", "coking": "焦化", "powder metallurgy": "粉末冶金", "heat treatment": "热处理",
    "electroplating": "电镀", "metal products": "金属制品", "fasteners": "紧固件", "fastener": "紧固件",
    "springs": "弹簧", "gears": "齿轮", "gear": "齿轮", "chain": "链条", "chains": "链条", "hydraulic": "液压",
    "hydraulics": "液压", "pneumatic": "气动", "seals": "密封件", "welding": "焊材", "cutting tools": "刀具",
    "cutting tool": "刀具", "cutters": "刀具", "knives": "刀具", "abrasives": "磨料磨具", "boiler": "锅炉",
    "boilers": "锅炉", "transformer": "变压器", "transformers": "变压器", "elevator": "电梯", "elevators": "电梯",
    "escalator": "电梯", "power equipment": "电力设备", "electric power equipment": "电力设备",
    "power transmission": "输变电", "switchgear": "开关", "instrument meter": "仪器仪表",
    "instruments meters": "仪器仪表", "meter": "仪表", "scales": "衡器", "optical": "光学", "optics": "光学",
    "glasses": "眼镜", "eyewear": "眼镜", "spectacles": "眼镜", "refrigeration": "制冷",
    "refrigeration equipment": "制冷设备", "air conditioning": "空调", "fire": "消防",
    "fire equipment": "消防器材", "fire fighting equipment": "消防器材", "fire protection": "消防",
    "firefighting equipment": "消防器材", "agricultural machinery": "农业机械", "farm machinery": "农业机械",
    "mining machinery": "矿山机械", "construction machinery": "工程机械", "packaging machinery": "包装机械",
    "food machinery": "食品机械", "textile machinery": "纺织机械", "glass products": "玻璃制品",
    "plastic products": "塑料制品", "rubber products": "橡胶制品", "wood products": "木制品",
    "wood industry": "木业", "paper industry": "纸业", "paper products": "纸制品", "bamboo": "竹业",
    "concrete": "混凝土", "mortar": "砂浆", "insulation": "保温", "insulation materials": "保温材料",
    "thermal insulation": "保温", "waterproof materials": "防水材料", "waterproofing": "防水",
    "waterproof": "防水", "graphite": "石墨", "door": "门业", "doors": "门业", "windows": "门窗",
    "hair products": "发制品", "wigs": "假发", "wig": "假发", "edible fungi": "食用菌", "fungi": "食用菌",
    "mushroom": "食用菌", "mushrooms": "食用菌", "bee products": "蜂产品", "apiculture": "蜂业", "honey": "蜂业",
    "fruit vegetable": "果蔬", "fruits vegetables": "果蔬", "vegetables": "蔬菜", "vegetable": "蔬菜",
    "fruit": "水果", "fruits": "水果", "meat products": "肉制品", "aquatic products": "水产品",
    "aquaculture": "养殖", "poultry": "禽业", "eggs": "蛋业", "cotton": "棉业", "down products": "羽绒制品",
    "down": "羽绒", "feather": "羽绒", "pesticide": "农药", "pesticides": "农药", "veterinary": "兽药",
    "biological products": "生物制品", "reagents": "试剂", "dressings": "敷料", "seedlings": "种苗",
    "flowers": "花卉", "nursery": "苗木", "socks": "袜业", "hosiery": "袜业", "embroidery": "刺绣",
    "umbrella": "伞业", "umbrellas": "伞业", "hats": "帽业", "caps": "帽业", "gloves": "手套", "fur": "毛皮",
    "bedding": "床上用品", "curtains": "窗帘", "carpet": "地毯", "carpets": "地毯", "lamps": "灯具",
    "detergent": "洗涤用品", "office supplies": "办公用品", "fireworks": "烟花爆竹", "candles": "蜡业",
    "grain oil": "粮油", "grain oils": "粮油", "edible oil": "粮油", "oil": "油脂", "liquor": "酒业",
    "wines": "酒业", "condiment": "调味品", "condiments": "调味品", "seasoning": "调味品",
    "health products": "保健品", "garden": "园林", "gardens": "园林", "foundry": "铸造",
    "decoration engineering": "装饰工程", "network technology": "网络科技", "electric motor": "电机",
    "wire cable": "电线电缆", "wires cables": "电线电缆", "medical": "医疗",
})

# English words that translators add to any trade ("Knitting Industrial Co., Ltd." for 针织有限公司 or
# 针织实业): after another trade word they say nothing.
ENGLISH_FILLERS = frozenset({"industrial", "industry", "industries", "manufacture", "manufactory", "works"})

# Words that say the same thing in a name; compared as one.
TRADE_SYNONYMS = {
    "技术": "科技", "高科技": "科技", "高新技术": "科技", "生物技术": "生物科技", "生物工程": "生物科技",
    "商贸": "贸易", "工贸": "贸易", "经贸": "贸易", "国际贸易": "贸易",
    "服装": "服饰", "制衣": "服饰", "时装": "服饰", "通讯": "通信", "炭素": "碳素", "制药": "药业",
    "医药": "药业", "汽配": "汽车配件", "汽车零部件": "汽车配件", "钢构": "钢结构", "塑胶": "塑料",
    "塑业": "塑料", "卫材": "卫生材料", "针纺": "针织", "纺织品": "纺织", "电子商务": "电商",
    "置业": "房地产", "地产": "房地产", "房地产开发": "房地产", "炭业": "碳素",
}

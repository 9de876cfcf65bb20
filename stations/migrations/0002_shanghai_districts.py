"""Load Shanghai and its 16 districts (GB/T 2260) with their government seats (WGS-84)."""

from django.db import migrations

SHANGHAI = ("310000", "上海市", "Shanghai", 31.230416, 121.473701)
DISTRICTS = [
    ("310101", "黄浦区", "Huangpu", 31.231706, 121.484443),
    ("310104", "徐汇区", "Xuhui", 31.188523, 121.436525),
    ("310105", "长宁区", "Changning", 31.220367, 121.424624),
    ("310106", "静安区", "Jing'an", 31.229003, 121.448224),
    ("310107", "普陀区", "Putuo", 31.249618, 121.397210),
    ("310109", "虹口区", "Hongkou", 31.264601, 121.505133),
    ("310110", "杨浦区", "Yangpu", 31.259541, 121.526077),
    ("310112", "闵行区", "Minhang", 31.112813, 121.381709),
    ("310113", "宝山区", "Baoshan", 31.405457, 121.489934),
    ("310114", "嘉定区", "Jiading", 31.374875, 121.265300),
    ("310115", "浦东新区", "Pudong", 31.221517, 121.544379),
    ("310116", "金山区", "Jinshan", 30.741991, 121.341970),
    ("310117", "松江区", "Songjiang", 31.032243, 121.227747),
    ("310118", "青浦区", "Qingpu", 31.150681, 121.124178),
    ("310120", "奉贤区", "Fengxian", 30.918395, 121.474039),
    ("310151", "崇明区", "Chongming", 31.623080, 121.397230),
]


def load(apps, schema_editor):
    District = apps.get_model("stations", "District")
    code, name, name_en, lat, lng = SHANGHAI
    city, _ = District.objects.update_or_create(
        code=code,
        defaults={"name": name, "name_en": name_en, "level": "province", "centre_lat": lat, "centre_lng": lng},
    )
    for code, name, name_en, lat, lng in DISTRICTS:
        District.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "level": "district",
                "parent": city,
                "centre_lat": lat,
                "centre_lng": lng,
            },
        )


def unload(apps, schema_editor):
    District = apps.get_model("stations", "District")
    District.objects.filter(code__in=[d[0] for d in DISTRICTS]).delete()
    District.objects.filter(code=SHANGHAI[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
